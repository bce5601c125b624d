import { Hono } from 'hono';
import { z } from 'zod';

/** The part of a Zipkin v2 span this sink keeps (the exporters send more; it is ignored). */
export const ZipkinSpan = z.looseObject({
  traceId: z.string().regex(/^[0-9a-f]{16,32}$/),
  id: z.string(),
  parentId: z.string().optional(),
  name: z.string().optional(),
  kind: z.string().optional(),
  timestamp: z.number().optional(),
  duration: z.number().optional(),
  localEndpoint: z.looseObject({ serviceName: z.string().optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type ZipkinSpan = z.infer<typeof ZipkinSpan>;

/** Enough for a test run or a demo; the oldest traces go first beyond it. */
const MAX_TRACES = 20_000;

/**
 * A Zipkin-compatible collector, in memory: POST /api/v2/spans as the sidecars'
 * Zipkin exporter sends them, GET /api/v2/trace/:traceId and /api/v2/services
 * as Zipkin answers them.
 */
export function createTraceSinkApp(): Hono {
  const traces = new Map<string, ZipkinSpan[]>();
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.post('/api/v2/spans', async (c) => {
    const parsed = z.array(ZipkinSpan).safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_spans', fields: parsed.error.issues.map((i) => i.path.join('.') || 'body') }, 400);
    for (const span of parsed.data) {
      const traceId = span.traceId.padStart(32, '0');
      if (!traces.has(traceId) && traces.size >= MAX_TRACES) traces.delete(traces.keys().next().value!);
      traces.set(traceId, [...(traces.get(traceId) ?? []), span]);
    }
    return c.body(null, 202);
  });

  app.get('/api/v2/trace/:traceId', (c) => {
    const spans = traces.get(c.req.param('traceId').padStart(32, '0'));
    return spans ? c.json(spans) : c.json({ error: 'not_found', message: `no spans for trace ${c.req.param('traceId')}` }, 404);
  });

  app.get('/api/v2/services', (c) =>
    c.json(
      [
        ...new Set(
          [...traces.values()]
            .flat()
            .map((span) => span.localEndpoint?.serviceName)
            .filter(Boolean),
        ),
      ].sort(),
    ),
  );
  return app;
}
