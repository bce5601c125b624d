import { createHash, randomBytes } from 'node:crypto';
import { API_AUDIENCE, LOCAL_PUBLIC_ORIGIN, WEB_APP_PATH, WEB_CLIENT_ID } from '@burger/contracts';

/**
 * Signing in as the browser app does, for scripts and tests: the authorization code
 * flow with PKCE through the gateway only (authorization request → sign-in form →
 * credentials → redirect with a code → code exchanged for tokens). `npm run sign-in -- kim`.
 */
export interface Tokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
  expires_in: number;
}

/** The auth service builds its issuer and the app's redirect URI on the public origin, whichever replica is asked. */
const PUBLIC_ORIGIN = LOCAL_PUBLIC_ORIGIN;
const REDIRECT_URI = `${PUBLIC_ORIGIN}${WEB_APP_PATH}/callback`;

/** Cookies as a browser keeps them for one site (paths ignored: enough for the sign-in flow). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** Tokens, or the status and page where the flow stopped (e.g. 401 and the form saying the password is wrong). */
export async function attemptSignIn(
  username: string,
  password: string,
  origin = PUBLIC_ORIGIN,
): Promise<{ tokens: Tokens } | { status: number; page: string }> {
  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(new URL(url, origin), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(response);
    return response;
  };
  const verifier = base64url(randomBytes(32));
  const authorize = new URL(`${origin}/auth/auth`);
  authorize.search = new URLSearchParams({
    client_id: WEB_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile burger',
    resource: API_AUDIENCE,
    state: base64url(randomBytes(8)),
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString();
  const started = await go(authorize.toString());
  if (started.status !== 303) return { status: started.status, page: await started.text() };
  const form = await go(started.headers.get('location')!);
  const action = (await form.text()).match(/action="([^"]+)"/)?.[1];
  if (!action) return { status: form.status, page: 'no sign-in form' };
  const submitted = await go(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (submitted.status !== 303) return { status: submitted.status, page: await submitted.text() };
  let next = submitted;
  // Resume the authorization (consent is implied for the first-party app) until it redirects to the app.
  while (next.status === 303 && !next.headers.get('location')!.startsWith(REDIRECT_URI)) next = await go(next.headers.get('location')!);
  const code = new URL(next.headers.get('location') ?? '', origin).searchParams.get('code');
  if (!code) return { status: next.status, page: await next.text() };
  const exchanged = await tokenRequest(
    { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
    origin,
  );
  if (exchanged.status !== 200) return { status: exchanged.status, page: await exchanged.text() };
  return { tokens: (await exchanged.json()) as Tokens };
}

export async function signIn(username: string, password: string, origin = PUBLIC_ORIGIN): Promise<Tokens> {
  const result = await attemptSignIn(username, password, origin);
  if ('tokens' in result) return result.tokens;
  throw new Error(`sign-in of ${username} failed: ${result.status} ${result.page.slice(0, 200)}`);
}

/** The token endpoint with a refresh token: new tokens (200) or `invalid_grant` (400) for a used or revoked one. */
export function refresh(refreshToken: string, origin = PUBLIC_ORIGIN): Promise<Response> {
  return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, origin);
}

function tokenRequest(params: Record<string, string>, origin: string): Promise<Response> {
  return fetch(`${origin}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, client_id: WEB_CLIENT_ID }).toString(),
  });
}
