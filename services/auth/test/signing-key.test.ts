import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signingJwk } from '../src/adapters/oidc/signing-key.js';

describe('token-signing key from its secret', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('reads a PEM and a JWK alike, with a stable key id', () => {
    const fromPem = signingJwk(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const fromJwk = signingJwk(JSON.stringify(privateKey.export({ format: 'jwk' })));
    expect(fromPem).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(fromPem.kid).toBe(fromJwk.kid);
  });

  it('refuses anything but a private P-256 key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => signingJwk(rsa.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(/P-256/);
  });
});
