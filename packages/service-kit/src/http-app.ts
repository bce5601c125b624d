import { timingSafeEqual } from 'node:crypto';
import { prometheus } from '@hono/prometheus';
import { register } from 'prom-client';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodType } from 'zod';
import { limitBody, refuseUndeclaredMethods } from './edge.js';
import type { Logger } from './logger.js';
import { edgeProblems, Problem, PROBLEM_CONTENT_TYPE, validationProblem } from './problems.js';
import { sidecar } from './sidecar.js';
import { traceContext } from './trace-context.js';

export type ReadinessCheck = () => Promise<boolean>;

export interface ServiceAppOptions {
  logger: Logger;
  /** Named checks for /readyz; the service is ready when all pass. `sidecar` also makes DAPR_HTTP_PORT required at once. */
  readiness: Record<string, ReadinessCheck>;
  /** Shared with the sidecar (APP_API_TOKEN); when set, every route but the probes requires it. */
  appApiToken?: string;
  /**
   * The largest request body any route of this app takes (counted while streaming); a larger one
   * is a 413 before a handler runs. Routes that need less add `limitBody(n)` of their own.
   * Default 64 KiB: the services' bodies are small JSON documents and CloudEvents from the sidecar.
   */
  maxBodyBytes?: number;
  /**
   * False for an app whose routes read the raw Node request themselves (auth's OpenID provider):
   * then only a declared Content-Length is checked here, and those readers count as they stream.
   */
  countBodyWhileStreaming?: boolean;
  /**
   * False for an app whose port is public (the gateway): its /metrics is then served only by
   * `serveMetrics` on an internal port, never on the app's. Default true: the app port is loopback
   * (or the pod network), reached by the sidecar and Prometheus only.
   */
  metricsOnAppPort?: boolean;
}

/** What a service's requests may carry unless the app says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 65_536;

export interface ServiceApp {
  app: Hono;
  /** Flipped on SIGTERM so the sidecar / kubelet stops routing here while requests drain. */
  markDraining(): void;
}

/** A Hono app with the parts every service shares: probes, app-token guard, error mapping, access log. */
/**
 * How often the event-loop lag is sampled. prom-client's default, 10 ms, wakes every process 100 times a second:
 * about 6 ms of CPU a second per app at rest (measured, Node 20), some 55 ms/s for the nine apps. Ten samples a
 * second still give the lag's percentiles.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  // An app that is ready only with its sidecar must know where the sidecar is: a missing DAPR_HTTP_PORT
  // stops it here, at start-up, rather than at its first call (sidecar.ts reads the port when first asked).
  if (options.readiness.sidecar) void sidecar.httpPort;
  const app = new Hono();
  let draining = false;

  // Request rate, latency and errors per route, plus process metrics and business counters, for Prometheus.
  const { printMetrics, registerMetrics } = prometheus({
    registry: register,
    collectDefaultMetrics: { eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS },
    prefix: 'burger_',
  });
  app.use('*', registerMetrics);
  if (options.metricsOnAppPort ?? true) app.get('/metrics', printMetrics);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const results = await runChecks(options.readiness);
    const ready = !draining && Object.values(results).every(Boolean);
    return c.json({ status: ready ? 'ready' : 'not-ready', draining, checks: results }, ready ? 200 : 503);
  });

  if (options.appApiToken) app.use('*', requireAppToken(options.appApiToken));
  // One contract for bad input, whatever the route: an undeclared method is a 405 with Allow,
  // an oversized body a 413, before any handler (so nothing is written for them).
  app.use('*', refuseUndeclaredMethods(app));
  app.use('*', limitBody(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, { countWhileStreaming: options.countBodyWhileStreaming ?? true }));
  app.use('*', traceContext());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    options.logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms }, 'request');
  });

  app.notFound((c) => sendProblem(c, edgeProblems.notFound(c.req.method, c.req.path.slice(0, 200))));
  app.onError((error, c) => problemResponse(c, error, options.logger));
  return { app, markDraining: () => void (draining = true) };
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Whether a Content-Type header names JSON (`application/json`, `application/*+json`), parameters aside. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return JSON_MEDIA_TYPE.test((contentType ?? '').split(';')[0]!.trim());
}

/**
 * Parses a JSON body against a contract schema: another media type is a 415, a body that
 * does not parse (or none at all) a 400, and a schema violation a 400 naming each bad field.
 */
export async function parseJsonBody<T>(c: Context, schema: ZodType<T>): Promise<T> {
  if (!isJsonContentType(c.req.header('content-type'))) throw edgeProblems.unsupportedMediaType();
  const text = await c.req.text();
  if (text.trim() === '') throw edgeProblems.bodyRequired();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw edgeProblems.malformedJson();
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

/** A Problem as the response: its status, its headers, an application/problem+json body. */
export function sendProblem(c: Context, problem: Problem): Response {
  for (const [name, value] of Object.entries(problem.headers)) c.header(name, value);
  return c.body(JSON.stringify(problem.toJSON()), problem.status as 400, { 'content-type': PROBLEM_CONTENT_TYPE });
}

function problemResponse(c: Context, error: Error, logger: Logger): Response {
  if (error instanceof Problem) return sendProblem(c, error);
  // Hono's own refusals (a body that is not JSON, an undeclared media type in a zod-openapi
  // route, a body limit) are the caller's mistakes, not ours: the same problem shape, their status.
  if (error instanceof HTTPException && error.status >= 400 && error.status < 500) return sendProblem(c, fromHttpException(error));
  logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
  return sendProblem(c, new Problem(500, 'internal_error', 'Something went wrong on our side; nothing was changed. Please try again.'));
}

function fromHttpException(error: HTTPException): Problem {
  if (error.status === 400 && /json/i.test(error.message)) return edgeProblems.malformedJson();
  if (error.status === 415) return edgeProblems.unsupportedMediaType();
  return new Problem(error.status, 'bad_request', error.message || 'The request could not be understood');
}

function requireAppToken(expected: string) {
  return async (c: Context, next: () => Promise<void>) => {
    // Probes and the Prometheus scrape answer without the token: they reveal health and counts, nothing else.
    if (c.req.path === '/healthz' || c.req.path === '/readyz' || c.req.path === '/metrics') return next();
    if (!tokenMatches(c.req.header('dapr-api-token'), expected)) {
      return sendProblem(c, new Problem(401, 'unauthorized', "Only this service's Dapr sidecar may call it"));
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
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const));
  return Object.fromEntries(entries);
}
