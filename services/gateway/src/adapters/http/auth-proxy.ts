import { AppId } from '@burger/contracts';
import { invocationUrl, Problem, sidecarHeaders } from '@burger/service-kit';
import type { HttpBindings } from '@hono/node-server';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { PLATFORM_WORDS, publicReply } from './public-reply.js';
import type { SignInLimit } from './rate-limit.js';

/** What a browser or OAuth client sends that the provider needs; nothing else crosses (no hop-by-hop, no spoofed forwarding). */
const REQUEST_HEADERS = ['accept', 'content-type', 'cookie', 'authorization', 'user-agent', 'accept-language'];
const RESPONSE_HEADERS = [
  'content-type',
  'location',
  'cache-control',
  'pragma',
  'www-authenticate',
  'x-frame-options',
  'content-security-policy',
];
/** The sign-in form posts here; its answer says whether the password was right (401: wrong). */
const SIGN_IN_FORM = /^\/auth\/interaction\/[^/]+\/login$/;

/**
 * The OpenID provider's public face: `/auth/*` (discovery, authorize, sign-in page,
 * token, JWKS, logout) is passed to the `auth` app through Dapr service invocation,
 * cookies included. The auth app builds every URL from its issuer, not from headers.
 * The body is already bounded (the app's body limit, counted while streaming).
 */
export function mountAuthProxy(app: Hono, signIns: () => Promise<SignInLimit>): void {
  // On every request, not only on the /auth route: `/auth/.%2E/x` arrives resolved to `/x`.
  app.use('*', async (c, next) => {
    const path = rawPath(c);
    if (path === '/auth' || path.startsWith('/auth/')) refusePathTricks(path);
    await next();
  });
  app.all('/auth/*', async (c) => {
    const url = new URL(c.req.url);
    refusePathTricks(url.pathname); // and the path as resolved, whatever form the request line had
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

/**
 * Each segment of an /auth path as the provider names them: letters, digits and `-._~` (discovery's
 * `.well-known`, interaction ids, `token`, `jwks` …). Anything else (a percent-escape, so `%2F`,
 * `%5C`, `%2E`, `%25`, `%ff`; a backslash) or a dot-segment is refused here, before the sidecar,
 * which decodes the path and would resolve `..%2Fmetrics` to another of auth's routes.
 */
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const PATH_TRICK = new Problem(
  400,
  'invalid_path',
  'This sign-in path is not one the provider serves: encoded or dot segments are not allowed',
);

export function refusePathTricks(path: string): void {
  const segments = path.split('/').slice(2); // '' and 'auth'
  if (
    segments.some(
      (segment, i) => !(SEGMENT.test(segment) || (segment === '' && i === segments.length - 1)) || segment === '.' || segment === '..',
    )
  )
    throw PATH_TRICK;
}

/**
 * The path as the client sent it (the URL Hono sees has its dot-segments resolved already); from
 * an absolute-form request line (`GET http://host/auth/… HTTP/1.1`) too.
 */
function rawPath(c: Context): string {
  const sent = (c.env as Partial<HttpBindings> | undefined)?.incoming?.url ?? new URL(c.req.url).pathname;
  return sent.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/)[0]!;
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
export async function passOn(upstream: Response): Promise<Response> {
  if (upstream.status >= 500) {
    await upstream.body?.cancel();
    throw new Problem(
      upstream.status === 503 ? 503 : 502,
      'sign_in_unavailable',
      'Sign-in is unavailable for a moment; please try again shortly',
      {},
      { 'retry-after': '5' },
    );
  }
  let body: BodyInit | null = upstream.body;
  const type = upstream.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const text = await upstream.text();
    if (isSidecarError(text)) throw new Problem(502, 'upstream_failed', 'Sign-in failed on our side; please try again');
    // A failure leaves only in the shapes we define, as on /api: auth's problems rebuilt from their
    // members, OAuth's `{error, error_description}` as the protocol says; anything else is generic.
    if (upstream.status >= 400) {
      const parsed = parseJson(text);
      if (type.includes('problem+json')) throw publicReply({ status: upstream.status, body: parsed });
      if (!isOAuthError(parsed)) throw new Problem(502, 'upstream_failed', 'Sign-in failed on our side; please try again');
    }
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isSidecarError(text: string): boolean {
  const parsed = parseJson(text);
  return typeof parsed === 'object' && parsed !== null && 'errorCode' in parsed;
}

/** An OAuth 2 error answer (RFC 6749 §5.2): an error code, a readable description, nothing of the platform beneath. */
const OAuthError = z.object({
  error: z.string().regex(/^[a-z_]{1,64}$/),
  error_description: z.string().max(500).optional(),
  message: z.string().max(500).optional(),
});
function isOAuthError(body: unknown): boolean {
  return OAuthError.safeParse(body).success && !PLATFORM_WORDS.test(JSON.stringify(body));
}
