import { ACCESS_TOKEN_SECONDS, API_AUDIENCE, API_SCOPE } from '@burger/contracts';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { TokenRefused, verifyAccessToken } from '../src/adapters/http/access-token.js';

const ISSUER = 'http://127.0.0.1:8080/auth';
const now = () => Math.floor(Date.now() / 1000);
let keys: JWTVerifyGetKey;
let sign: (claims: Record<string, unknown>, typ?: string | null) => Promise<string>;

/** The claims auth puts in every access token (oidc-provider with our resource server settings). */
const auths = (overrides: Record<string, unknown> = {}, drop: string[] = []) => {
  const iat = now();
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: API_AUDIENCE,
    sub: 'kim',
    role: 'customer',
    scope: API_SCOPE,
    client_id: 'burger-web',
    jti: 'j1',
    iat,
    exp: iat + ACCESS_TOKEN_SECONDS,
    ...overrides,
  };
  for (const name of drop) delete claims[name];
  return claims;
};

beforeAll(async () => {
  // A test key, standing in for auth's: the checks under test come after the signature.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' }] });
  sign = (claims, typ = 'at+jwt') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'test', ...(typ === null ? {} : { typ }) }).sign(privateKey);
});

async function refusal(token: Promise<string>): Promise<TokenRefused['reason'] | 'accepted'> {
  try {
    await verifyAccessToken(await token, keys, { issuer: ISSUER });
    return 'accepted';
  } catch (error) {
    if (error instanceof TokenRefused) return error.reason;
    throw error;
  }
}

describe('access tokens: the gateway accepts what auth mints, and nothing less', () => {
  it("accepts auth's shape and says who calls and until when the token may be relied on", async () => {
    const claims = auths({ role: 'staff', branch: 'gangnam', sub: 'staff-gangnam' });
    const verified = await verifyAccessToken(await sign(claims), keys, { issuer: ISSUER });
    expect(verified.caller).toEqual({ accountId: 'staff-gangnam', role: 'staff', branch: 'gangnam' });
    expect(verified.usableUntilMs).toBe((claims.exp as number) * 1000);
    // The scope may come with others (space-separated).
    expect(await refusal(sign(auths({ scope: `openid ${API_SCOPE} profile` })))).toBe('accepted');
  });

  it.each([
    ['no exp', auths({}, ['exp']), 'invalid'],
    ['no iat', auths({}, ['iat']), 'invalid'],
    ['no sub', auths({}, ['sub']), 'invalid'],
    ['an iat a minute ahead (beyond the 10 s skew)', auths({ iat: now() + 60, exp: now() + 600 }), 'invalid'],
    [
      'issued longer ago than the maximum age, though unexpired',
      auths({ iat: now() - ACCESS_TOKEN_SECONDS - 60, exp: now() + 60 }),
      'expired',
    ],
    ['a lifetime longer than the maximum age', auths({ exp: now() + 86_400 }), 'invalid'],
    ['expired', auths({ iat: now() - 120, exp: now() - 30 }), 'expired'],
    ['no scope', auths({}, ['scope']), 'claims'],
    ['another scope', auths({ scope: 'openid profile' }), 'claims'],
    ['a scope that only contains ours', auths({ scope: `${API_SCOPE}-admin` }), 'claims'],
    ['another audience', auths({ aud: 'urn:someone:else' }), 'invalid'],
    ['another issuer', auths({ iss: 'http://evil.example/auth' }), 'invalid'],
    ['no role', auths({}, ['role']), 'claims'],
    ['a subject that is not an identifier', auths({ sub: '../lee' }), 'claims'],
  ])('refuses a token with %s', async (_what, claims, reason) => {
    expect(await refusal(sign(claims))).toBe(reason);
  });

  it('refuses a token whose header typ is not at+jwt (an ID token is a JWT, not an access token)', async () => {
    expect(await refusal(sign(auths(), 'JWT'))).toBe('invalid');
    expect(await refusal(sign(auths(), null))).toBe('invalid');
  });

  it('allows a small clock skew: an iat 5 s ahead passes', async () => {
    expect(await refusal(sign(auths({ iat: now() + 5, exp: now() + 305 })))).toBe('accepted');
  });

  it('ends its reliance at the maximum age even if exp says later (within the skew)', async () => {
    const iat = now() - 10;
    const verified = await verifyAccessToken(await sign(auths({ iat, exp: iat + ACCESS_TOKEN_SECONDS + 5 })), keys, { issuer: ISSUER });
    expect(verified.usableUntilMs).toBe((iat + ACCESS_TOKEN_SECONDS) * 1000);
  });
});
