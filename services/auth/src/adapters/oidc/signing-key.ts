import { createHash, createPrivateKey } from 'node:crypto';

/**
 * The token-signing key from its secret: a private EC P-256 key as JWK JSON (what the
 * local launcher generates) or as PEM (what `openssl ecparam -genkey` gives on a cluster).
 * The key id is the public key's thumbprint when none is given, so it is stable across replicas.
 */
export function signingJwk(secret: string): Record<string, unknown> {
  const trimmed = secret.trim();
  const jwk = trimmed.startsWith('{')
    ? (JSON.parse(trimmed) as Record<string, unknown>)
    : (createPrivateKey(trimmed).export({ format: 'jwk' }) as Record<string, unknown>);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string')
    throw new Error('auth-signing-key must be a private EC P-256 key');
  // RFC 7638 thumbprint over the required public members, in lexicographic order.
  const kid =
    jwk.kid ??
    createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
      .digest('base64url');
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}
