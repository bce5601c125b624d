import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { edgeProblems } from './problems.js';

/** What an `app.use` or `app.all` registers: not a declaration of one method. */
const ANY_METHOD = 'ALL';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * A request body larger than `maxBytes` is a 413 Problem before any handler reads it.
 * A declared Content-Length is checked as such (the HTTP parser holds the body to it); a body without one
 * is counted while it streams in (hono's bodyLimit), unless `countWhileStreaming` is false: then only the
 * declared Content-Length is checked, for routes that read the raw Node request themselves.
 */
export function limitBody(maxBytes: number, options: { countWhileStreaming?: boolean } = {}): MiddlewareHandler {
  const tooLarge = () => {
    throw edgeProblems.tooLarge(maxBytes);
  };
  if (options.countWhileStreaming === false) {
    return async (c, next) => {
      if (Number(c.req.header('content-length') ?? 0) > maxBytes) tooLarge();
      await next();
    };
  }
  const countWhileStreaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    // A declared length is the whole body: Node's HTTP parser reads exactly that many bytes, and a GET or HEAD
    // without one has none. Checking the header alone keeps @hono/node-server's direct body read (hono's bodyLimit
    // asks for the request's stream first, which builds a full web Request: a measurable part of each call's CPU).
    if (!c.req.header('transfer-encoding')) {
      const declared = c.req.header('content-length');
      if (declared !== undefined) return Number(declared) > maxBytes ? tooLarge() : next();
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    }
    return countWhileStreaming(c, next);
  };
}

/**
 * 405 with `Allow` for a method the app does not declare on a path it does serve (instead
 * of a 404, and before authentication or body parsing). The declared routes are read once,
 * at the first request, when every route has been registered (Hono's router is fixed then too).
 */
// biome-ignore lint/suspicious/noExplicitAny: any app, whatever its environment, variables and schema types
export function refuseUndeclaredMethods(app: Hono<any, any, any>): MiddlewareHandler {
  let declared: Hono | undefined;
  const routesOf = () => {
    const probe = new Hono();
    const marker = (c: Context) => c.body(null, 204);
    for (const route of app.routes) if (route.method !== ANY_METHOD) probe.on(route.method, route.path, marker);
    return probe;
  };
  const serves = (probe: Hono, method: string, path: string) => probe.router.match(method, path)[0].length > 0;
  return async (c, next) => {
    declared ??= routesOf();
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (serves(declared, method, c.req.path)) return next();
    const allowed = METHODS.filter((m) => serves(declared!, m, c.req.path));
    if (allowed.length === 0) return next(); // not a path of ours (or an app.all): the 404 / catch-all decides
    throw edgeProblems.methodNotAllowed(
      c.req.method,
      allowed.includes('GET') ? ['GET', 'HEAD', ...allowed.filter((m) => m !== 'GET')] : allowed,
    );
  };
}
