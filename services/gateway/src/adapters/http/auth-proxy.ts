import { AppId } from '@burger/contracts';
import { invocationUrl, sidecarHeaders } from '@burger/service-kit';
import type { Hono } from 'hono';

/** What a browser or OAuth client sends that the provider needs; nothing else crosses (no hop-by-hop, no spoofed forwarding). */
const REQUEST_HEADERS = ['accept', 'content-type', 'cookie', 'authorization', 'user-agent', 'accept-language'];
const RESPONSE_HEADERS = ['content-type', 'location', 'cache-control', 'pragma', 'www-authenticate', 'x-frame-options', 'content-security-policy'];
const MAX_BODY_BYTES = 16_384;

/**
 * The OpenID provider's public face: `/auth/*` (discovery, authorize, sign-in page,
 * token, JWKS, logout) is passed to the `auth` app through Dapr service invocation,
 * cookies included. The auth app builds every URL from its issuer, not from headers.
 */
export function mountAuthProxy(app: Hono): void {
  app.all('/auth/*', async (c) => {
    const url = new URL(c.req.url);
    const headers = sidecarHeaders();
    for (const name of REQUEST_HEADERS) {
      const value = c.req.header(name);
      if (value) headers[name] = value;
    }
    const hasBody = !['GET', 'HEAD'].includes(c.req.method);
    const body = hasBody ? await c.req.arrayBuffer() : undefined;
    if (body && body.byteLength > MAX_BODY_BYTES) return c.json({ error: 'payload_too_large', message: 'Request body too large' }, 413);
    const upstream = await fetch(`${invocationUrl(AppId.auth, url.pathname)}${url.search}`, {
      method: c.req.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    const response = new Response(upstream.body, { status: upstream.status });
    for (const name of RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) response.headers.set(name, value);
    }
    for (const cookie of upstream.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
    return response;
  });
}
