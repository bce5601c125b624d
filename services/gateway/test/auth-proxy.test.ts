import { Problem } from '@burger/service-kit';
import { describe, expect, it } from 'vitest';
import { refusePathTricks } from '../src/adapters/http/auth-proxy.js';

const refused = (path: string) => {
  try {
    refusePathTricks(path);
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).status).toBe(400);
    return true;
  }
};

describe('the /auth proxy passes only paths the provider serves', () => {
  it.each(['/auth/jwks', '/auth/token', '/auth/.well-known/openid-configuration', '/auth/auth', '/auth/interaction/Ab3_x-Y9/login', '/auth/session/end/', '/auth/'])('passes %s', (path) => {
    expect(refused(path)).toBe(false);
  });

  it.each([
    '/auth/..%2Fmetrics', '/auth/..%2fmetrics', '/auth/..%5Cmetrics', '/auth/..\\metrics', '/auth/%2e%2e/metrics', '/auth/.%2E/jwks',
    '/auth/../metrics', '/auth/./jwks', '/auth/jwks/..', '/auth/x/../../metrics', '/auth/%252e%252e%252Fmetrics', '/auth/%ff', '/auth//jwks', '/auth/jwks;x=1',
  ])('refuses %s with a 400', (path) => {
    expect(refused(path)).toBe(true);
  });
});
