import { AppId } from '@burger/contracts';
import { invocationUrl, Problem, sidecarHeaders } from '@burger/service-kit';
import type { Hono } from 'hono';
import type { SignInLimit } from './rate-limit.js';

/** What a browser or OAuth client sends that the provider needs; nothing else crosses (no hop-by-hop, no spoofed forwarding). */
const REQUEST_HEADERS = ['accept', 'content-type', 'cookie', 'authorization', 'user-agent', 'accept-language'];
const RESPONSE_HEADERS = ['content-type', 'location', 'cache-control', 'pragma', 'www-authenticate', 'x-frame-options', 'content-security-policy'];
/** The sign-in form posts here; its answer says whether the password was right (401: wrong). */
const SIGN_IN_FORM = /^\/auth\/interaction\/[^/]+\/login$/;

/**
 * The OpenID provider's public face: `/auth/*` (discovery, authorize, sign-in page,
 * token, JWKS, logout) is passed to the `auth` app through Dapr service invocation,
 * cookies included. The auth app builds every URL from its issuer, not from headers.
 * The body is already bounded (the app's body limit, counted while streaming).
 */
export function mountAuthProxy(app: Hono, signIns: () => Promise<SignInLimit>): void {
  app.all('/auth/*', async (c) => {
    const url = new URL(c.req.url);
    const headers = sidecarHeaders();
    for (const name of REQUEST_HEADERS) {
      const value = c.req.header(name);
      if (value) headers[name] = value;
    }
    const hasBody = !['GET', 'HEAD'].includes(c.req.method);
    const body = hasBody ? await c.req.arrayBuffer() : undefined;
    const username = c.req.method === 'POST' && SIGN_IN_FORM.test(url.pathname) ? usernameIn(body) : undefined;
    if (username !== undefined) await (await signIns()).check(username);

    const upstream = await fetch(`${invocationUrl(AppId.auth, url.pathname)}${url.search}`, {
      method: c.req.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    if (username !== undefined && upstream.status === 401) await (await signIns()).failed(username);
    return passOn(upstream);
  });
}

/** The username a sign-in form names, as the directory compares it (trimmed, lower case, NFC); '' when none. */
function usernameIn(body: ArrayBuffer | undefined): string {
  const form = new URLSearchParams(new TextDecoder().decode(body ?? new ArrayBuffer(0)));
  return (form.get('username') ?? '').normalize('NFC').trim().toLowerCase().slice(0, 64);
}

/**
 * The provider's answer as it is (pages, redirects, OAuth JSON errors the protocol defines),
 * except when it is not the provider's: a failure of auth or of a sidecar on the way (5xx,
 * or Dapr's `errorCode` JSON, which names app ids) becomes a generic problem.
 */
async function passOn(upstream: Response): Promise<Response> {
  if (upstream.status >= 500) {
    await upstream.body?.cancel();
    throw new Problem(upstream.status === 503 ? 503 : 502, 'sign_in_unavailable', 'Sign-in is unavailable for a moment; please try again shortly', {}, { 'retry-after': '5' });
  }
  let body: BodyInit | null = upstream.body;
  if (upstream.headers.get('content-type')?.includes('json')) {
    const text = await upstream.text();
    if (isSidecarError(text)) throw new Problem(502, 'upstream_failed', 'Sign-in failed on our side; please try again');
    body = text;
  }
  const response = new Response(body, { status: upstream.status });
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) response.headers.set(name, value);
  }
  for (const cookie of upstream.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
}

function isSidecarError(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'errorCode' in parsed;
  } catch {
    return false;
  }
}
