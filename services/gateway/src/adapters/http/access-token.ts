import { ACCESS_TOKEN_SECONDS, ACCESS_TOKEN_TYPE, AccessClaims, API_AUDIENCE, API_SCOPE } from '@burger/contracts';
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../../domain/caller.js';

export interface TokenPolicy {
  issuer: string;
  /** The oldest `iat`, and the longest `iat`→`exp`, accepted (auth's lifetime: ACCESS_TOKEN_SECONDS). */
  maxAgeSeconds?: number;
  /** Clock skew allowed between auth and the gateway, for `exp` and for an `iat` a little ahead. */
  skewSeconds?: number;
  now?: () => Date;
}

/** A verified access token: who calls, and until when the token may be relied on (ms since the epoch). */
export interface VerifiedToken {
  caller: Caller;
  usableUntilMs: number;
}

/** Why a token is refused; `expired` gets its own wording (the client should refresh). */
export class TokenRefused extends Error {
  constructor(readonly reason: 'expired' | 'invalid' | 'claims') {
    super(`access token refused: ${reason}`);
  }
}

export const DEFAULT_SKEW_SECONDS = 10;

/**
 * Checks an access token as auth mints them, and nothing less: ES256 over auth's JWKS, issuer,
 * audience, header `typ` at+jwt (an ID token, `JWT`, is not an access token), `exp`, `iat` not
 * ahead of our clock beyond the skew nor older than the maximum age, a lifetime no longer than
 * that age, `sub`, the burger scope, and the claims the policy reads (role, branch).
 */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, policy: TokenPolicy): Promise<VerifiedToken> {
  const maxAge = policy.maxAgeSeconds ?? ACCESS_TOKEN_SECONDS;
  const skew = policy.skewSeconds ?? DEFAULT_SKEW_SECONDS;
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: policy.issuer,
      audience: API_AUDIENCE,
      algorithms: ['ES256'],
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: maxAge,
      clockTolerance: skew,
      ...(policy.now ? { currentDate: policy.now() } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRefused('expired');
    throw new TokenRefused('invalid');
  }
  const { exp, iat, scope } = payload as { exp: number; iat: number; scope?: unknown };
  if (exp - iat > maxAge + skew) throw new TokenRefused('invalid');
  if (typeof scope !== 'string' || !scope.split(' ').includes(API_SCOPE)) throw new TokenRefused('claims');
  const claims = AccessClaims.safeParse(payload);
  if (!claims.success) throw new TokenRefused('claims');
  const caller: Caller = {
    accountId: claims.data.sub,
    role: claims.data.role,
    ...(claims.data.branch ? { branch: claims.data.branch } : {}),
  };
  // The earlier of its expiry and the end of its maximum age: a live stream it opened ends then.
  return { caller, usableUntilMs: Math.min(exp, iat + maxAge) * 1000 };
}
