import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';

/**
 * W3C trace context of the request being handled. The sidecar starts or continues
 * a trace for every call it hands us (`traceparent`); whatever we ask of our sidecar
 * while handling it (invoke another app, publish an event) carries the same headers,
 * so the sidecar links that call to the trace and writes it into the CloudEvents it
 * publishes: one order is one trace across every service. Only propagation, no
 * spans of our own: the sidecars record them.
 */
type TraceHeaders = { traceparent?: string; tracestate?: string };

const current = new AsyncLocalStorage<TraceHeaders>();

export function traceContext(): MiddlewareHandler {
  return async (c, next) => {
    const traceparent = c.req.header('traceparent');
    if (!traceparent) return next();
    const tracestate = c.req.header('tracestate');
    await current.run({ traceparent, ...(tracestate ? { tracestate } : {}) }, next);
  };
}

/** Headers to pass on to our sidecar: empty outside a traced request (a periodic sweep starts its own trace). */
export function traceHeaders(): TraceHeaders {
  return current.getStore() ?? {};
}
