import { Problem } from '@burger/service-kit';
import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../../domain/caller.js';
import { TokenRefused, verifyAccessToken, type TokenPolicy } from './access-token.js';

/** `tokenExpiresAt`: when the caller's token stops being good (ms), so a live stream can end with it. */
export type GatewayEnv = { Variables: { caller: Caller; tokenExpiresAt: number } };

const unauthorized = (message: string) =>
  new Problem(401, 'unauthorized', message, {}, { 'www-authenticate': `Bearer realm="burger", error="invalid_token"` });

const REFUSALS: Record<TokenRefused['reason'], string> = {
  expired: 'The access token has expired: refresh it or sign in again',
  invalid: 'The access token is not valid',
  claims: 'The access token lacks the burger claims',
};

/** Bearer JWTs from the auth service, checked offline against its JWKS (access-token.ts says what is checked). */
export function authenticate(keys: JWTVerifyGetKey, policy: TokenPolicy): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token)
      throw new Problem(
        401,
        'unauthorized',
        'Sign in first: send "Authorization: Bearer <access token>"',
        {},
        { 'www-authenticate': 'Bearer realm="burger"' },
      );
    try {
      const verified = await verifyAccessToken(token, keys, policy);
      c.set('caller', verified.caller);
      c.set('tokenExpiresAt', verified.usableUntilMs);
    } catch (error) {
      if (error instanceof TokenRefused) throw unauthorized(REFUSALS[error.reason]);
      throw error;
    }
    await next();
  };
}

/** The auth service's JWKS, fetched through the sidecar (auth is not reachable otherwise). */
export function authKeys(jwksUrl: URL, headers: Record<string, string>): JWTVerifyGetKey {
  return createRemoteJWKSet(jwksUrl, { headers, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
}
