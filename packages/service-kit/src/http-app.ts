import { timingSafeEqual } from 'node:crypto';
import { prometheus } from '@hono/prometheus';
import { register } from 'prom-client';
import { Hono, type Context } from 'hono';
import type { ZodType } from 'zod';
import type { Logger } from './logger.js';
import { Problem, validationProblem } from './problems.js';
import { traceContext } from './trace-context.js';

export type ReadinessCheck = () => Promise<boolean>;

export interface ServiceAppOptions {
  logger: Logger;
  /** Named checks for /readyz; the service is ready when all pass. */
  readiness: Record<string, ReadinessCheck>;
  /** Shared with the sidecar (APP_API_TOKEN); when set, every route but the probes requires it. */
  appApiToken?: string;
}

export interface ServiceApp {
  app: Hono;
  /** Flipped on SIGTERM so the sidecar / kubelet stops routing here while requests drain. */
  markDraining(): void;
}

/** A Hono app with the parts every service shares: probes, app-token guard, error mapping, access log. */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const app = new Hono();
  let draining = false;

  // Request rate, latency and errors per route, plus process metrics and business counters, for Prometheus.
  const { printMetrics, registerMetrics } = prometheus({ registry: register, collectDefaultMetrics: true, prefix: 'burger_' });
  app.use('*', registerMetrics);
  app.get('/metrics', printMetrics);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await runChecks(options.readiness);
    const ready = !draining && Object.values(results).every(Boolean);
    return c.json({ status: ready ? 'ready' : 'not-ready', draining, checks: results }, ready ? 200 : 503);
  });

  if (options.appApiToken) app.use('*', requireAppToken(options.appApiToken));
  app.use('*', traceContext());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    options.logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  });

  app.notFound((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => problemResponse(c, error, options.logger));
  return { app, markDraining: () => void (draining = true) };
}

/** Parses a JSON body against a contract schema; a 400 names each bad field. */
export async function parseJsonBody<T>(c: Context, schema: ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new Problem(400, 'invalid_json', 'The request body must be a JSON document');
  }
  return parseOrProblem(schema, body);
}

export function parseParams<T>(c: Context, schema: ZodType<T>): T {
  return parseOrProblem(schema, c.req.param(), 'path');
}

export function parseQuery<T>(c: Context, schema: ZodType<T>): T {
  return parseOrProblem(schema, c.req.query(), 'query');
}

/** Any inbound value against a contract schema (REST body or path, a gRPC request): a 400 Problem naming each bad field. */
export function parseOrProblem<T>(schema: ZodType<T>, value: unknown, where = 'body'): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error, where);
  return parsed.data;
}

function problemResponse(c: Context, error: Error, logger: Logger): Response {
  if (error instanceof Problem) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(error.toJSON(), error.status as 400);
  }
  logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
  return c.json({ error: 'internal_error', message: 'Something went wrong on our side; nothing was changed. Please try again.' }, 500);
}

function requireAppToken(expected: string) {
  return async (c: Context, next: () => Promise<void>) => {
    // Probes and the Prometheus scrape answer without the token: they reveal health and counts, nothing else.
    if (c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path === '/metrics') return next();
    if (!tokenMatches(c.req.header('dapr-api-token'), expected)) {
      return c.json({ error: 'unauthorized', message: 'Only this service\'s Dapr sidecar may call it' }, 401);
    }
    return next();
  };
}

/** Compares a presented token with the expected one in constant time (any protocol: HTTP header, gRPC metadata). */
export function tokenMatches(presented: unknown, expected: string): boolean {
  const given = Buffer.from(typeof presented === 'string' ? presented : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
  );
  return Object.fromEntries(entries);
}
