import { AccessClaims, API_AUDIENCE } from '@burger/contracts';
import { Problem } from '@burger/service-kit';
import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../../domain/caller.js';

export type GatewayEnv = { Variables: { caller: Caller } };

const unauthorized = (message: string) =>
  new Problem(401, 'unauthorized', message, {}, { 'www-authenticate': `Bearer realm="burger", error="invalid_token"` });

/**
 * Bearer JWTs from the auth service, checked offline: signature against its JWKS
 * (cached, refreshed when an unknown key id shows up), issuer, audience, expiry.
 */
export function authenticate(keys: JWTVerifyGetKey, issuer: string): MiddlewareHandler<GatewayEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) throw new Problem(401, 'unauthorized', 'Sign in first: send "Authorization: Bearer <access token>"', {}, { 'www-authenticate': 'Bearer realm="burger"' });
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, audience: API_AUDIENCE, algorithms: ['ES256'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('The access token has expired: refresh it or sign in again');
      throw unauthorized('The access token is not valid');
    }
    const claims = AccessClaims.safeParse(payload);
    if (!claims.success) throw unauthorized('The access token lacks the burger claims');
    c.set('caller', { accountId: claims.data.sub, role: claims.data.role, ...(claims.data.branch ? { branch: claims.data.branch } : {}) });
    await next();
  };
}

/** The auth service's JWKS, fetched through the sidecar (auth is not reachable otherwise). */
export function authKeys(jwksUrl: URL, headers: Record<string, string>): JWTVerifyGetKey {
  return createRemoteJWKSet(jwksUrl, { headers, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
}
