import type { Hono } from 'hono';
import { z } from 'zod';
import { parseJsonBody, type Logger } from '@burger/service-kit';

/**
 * Test knobs for the "payment overload" requirement: extra latency and a
 * failure rate on POST /payments, settable at run time through
 * PUT /admin/faults. Mounted only when PAY_FAULT_INJECTION=on (never by
 * default), and like every route it needs the app token, so only the sidecar
 * or a test holding the local token can reach it.
 */
const Faults = z.object({ latencyMs: z.number().int().min(0).max(60_000), failureRate: z.number().min(0).max(1) }).strict();
type Faults = z.infer<typeof Faults>;

export function mountFaultInjection(app: Hono, logger: Logger): void {
  let faults: Faults = { latencyMs: 0, failureRate: 0 };

  app.put('/admin/faults', async (c) => {
    faults = await parseJsonBody(c, Faults);
    logger.warn({ faults }, 'fault injection changed');
    return c.json(faults);
  });
  app.get('/admin/faults', (c) => c.json(faults));

  app.use('/payments', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (faults.latencyMs > 0) await new Promise((done) => setTimeout(done, faults.latencyMs));
    // A caller that gave up while we "were slow" must not be charged behind its back.
    if (c.req.raw.signal.aborted) return c.json({ error: 'caller_gone', message: 'The caller gave up; nothing was charged' }, 503);
    if (Math.random() < faults.failureRate) return c.json({ error: 'injected_failure', message: 'Payment provider failure (injected)' }, 500);
    return next();
  });
}
