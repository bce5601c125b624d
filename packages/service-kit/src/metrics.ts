import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Counter, register } from 'prom-client';
import type { Logger } from './logger.js';

/**
 * Business counters, registered once per process in prom-client's default
 * registry, which GET /metrics serves (with request rate/latency/errors and
 * process metrics). Names follow Prometheus conventions: `burger_<what>_total`.
 */
export function businessCounter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames: [...labelNames] });
}

/** Every event a subscriber handled, by topic and outcome (SUCCESS / RETRY / DROP): dead letters and retries show here. */
export const eventsHandled = businessCounter('burger_events_handled_total', 'Events delivered to this app, by topic and outcome', [
  'topic',
  'outcome',
] as const);

/**
 * /metrics on a listener of its own, for an app whose port is public (the gateway): Prometheus
 * scrapes this port, which nothing routes to from outside (no Ingress path, no Service port).
 * Everything else on it is a 404.
 */
export function serveMetrics(port: number, logger: Logger): void {
  const metrics = new Hono();
  metrics.get('/metrics', async (c) => c.body(await register.metrics(), 200, { 'content-type': register.contentType }));
  serve({ fetch: metrics.fetch, port, hostname: process.env.APP_HOST ?? '127.0.0.1' }, (info) =>
    logger.info({ port: info.port }, 'metrics listening'),
  );
}
