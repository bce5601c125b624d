import { Problem } from '@burger/service-kit';
import { describe, expect, it } from 'vitest';
import { passOn, refusePathTricks } from '../src/adapters/http/auth-proxy.js';

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
  it.each([
    '/auth/jwks',
    '/auth/token',
    '/auth/.well-known/openid-configuration',
    '/auth/auth',
    '/auth/interaction/Ab3_x-Y9/login',
    '/auth/session/end/',
    '/auth/',
  ])('passes %s', (path) => {
    expect(refused(path)).toBe(false);
  });

  it.each([
    '/auth/..%2Fmetrics',
    '/auth/..%2fmetrics',
    '/auth/..%5Cmetrics',
    '/auth/..\\metrics',
    '/auth/%2e%2e/metrics',
    '/auth/.%2E/jwks',
    '/auth/../metrics',
    '/auth/./jwks',
    '/auth/jwks/..',
    '/auth/x/../../metrics',
    '/auth/%252e%252e%252Fmetrics',
    '/auth/%ff',
    '/auth//jwks',
    '/auth/jwks;x=1',
  ])('refuses %s with a 400', (path) => {
    expect(refused(path)).toBe(true);
  });
});

describe('the /auth proxy passes failures on only in the shapes we define, as /api does', () => {
  const json = (status: number, body: unknown, type = 'application/json') =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
  const outcome = async (upstream: Response) => {
    try {
      const passed = await passOn(upstream);
      return { status: passed.status, body: (await passed.json()) as Record<string, unknown> };
    } catch (error) {
      expect(error).toBeInstanceOf(Problem);
      return { status: (error as Problem).status, body: (error as Problem).toJSON() as Record<string, unknown> };
    }
  };

  it("passes OAuth errors and auth's problems (rebuilt), and the provider's answers", async () => {
    expect(await outcome(json(400, { error: 'invalid_grant', error_description: 'grant request is invalid' }))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const problem = await outcome(
      json(400, { error: 'sign_in_expired', message: 'start again', internal: 'x' }, 'application/problem+json'),
    );
    expect(problem).toMatchObject({ status: 400, body: { error: 'sign_in_expired', message: 'start again' } });
    expect(problem.body).not.toHaveProperty('internal');
    expect(await outcome(json(200, { keys: [] }))).toEqual({ status: 200, body: { keys: [] } });
  });

  it("masks everything else: Dapr's errors, odd JSON, a 5xx", async () => {
    for (const upstream of [
      json(400, { errorCode: 'ERR_DIRECT_INVOKE', message: 'fail to invoke, id: auth' }),
      json(404, { detail: 'no route', stack: 'at x (file.ts:1)' }),
      json(400, { error: 'Not An OAuth Code', message: 'x' }),
      json(400, { error: 'invalid_request', message: 'daprd said no' }),
      json(500, { error: 'internal_error', message: 'Something went wrong' }, 'application/problem+json'),
    ]) {
      const { status, body } = await outcome(upstream);
      expect(status).toBeGreaterThanOrEqual(502);
      expect(JSON.stringify(body)).not.toMatch(/ERR_|dapr|stack|file\.ts/i);
    }
  });
});
