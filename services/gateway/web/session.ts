/**
 * Signing in the way a browser app should: authorization code + PKCE against the
 * auth service behind /auth, tokens kept in sessionStorage (gone with the tab),
 * the access token renewed with the refresh token when it expires.
 */
const CLIENT_ID = 'burger-web';
const KEY = 'burger-session';
const redirectUri = () => `${location.origin}/app/callback`;

export interface Session {
  accessToken: string;
  refreshToken: string;
  sub: string;
  role: 'customer' | 'staff';
  branch?: string;
  name?: string;
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export function current(): Session | undefined {
  const stored = sessionStorage.getItem(KEY);
  return stored ? (JSON.parse(stored) as Session) : undefined;
}

export async function signIn(): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(12)));
  sessionStorage.setItem('burger-pkce', JSON.stringify({ verifier, state }));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid profile burger',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`/auth/auth?${query}`);
}

/** Back from the sign-in page: checks the state, trades the code for tokens. */
export async function completeSignIn(params: URLSearchParams): Promise<Session> {
  const pending = JSON.parse(sessionStorage.getItem('burger-pkce') ?? 'null') as { verifier: string; state: string } | null;
  sessionStorage.removeItem('burger-pkce');
  if (params.get('error')) throw new Error(params.get('error_description') ?? params.get('error')!);
  if (!pending || params.get('state') !== pending.state) throw new Error('This sign-in did not start here; please sign in again.');
  return store(
    await token({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  );
}

/** A new access token from the refresh token; undefined when the session is over. */
export async function renew(): Promise<Session | undefined> {
  const session = current();
  if (!session) return undefined;
  try {
    return store(await token({ grant_type: 'refresh_token', refresh_token: session.refreshToken }));
  } catch {
    signOut();
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

async function token(params: Record<string, string>): Promise<{ access_token: string; refresh_token: string }> {
  const response = await fetch('/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, client_id: CLIENT_ID }),
  });
  const body = (await response.json()) as { access_token: string; refresh_token: string; error_description?: string };
  if (!response.ok) throw new Error(body.error_description ?? 'Sign-in failed');
  return body;
}

function store(tokens: { access_token: string; refresh_token: string }): Session {
  const claims = JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(tokens.access_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    ),
  ) as Omit<Session, 'accessToken' | 'refreshToken'>;
  const session: Session = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    sub: claims.sub,
    role: claims.role,
    ...(claims.branch ? { branch: claims.branch } : {}),
    ...(claims.name ? { name: claims.name } : {}),
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}
