import { createLogger, createServiceApp } from '@burger/service-kit';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { clientAddress, rateLimiter } from '../src/adapters/http/rate-limit.js';

const limits = { perIpPerMinute: 100, perUserPerMinute: 100, signInFailuresPerUsernamePerMinute: 10, trustedProxyHops: 1 };
// A real Redis client whose server is gone (nothing listens on port 1): every command fails at once.
const down = new Redis({
  host: '127.0.0.1',
  port: 1,
  lazyConnect: false,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => 1_000,
});
down.on('error', () => undefined);
afterAll(() => down.disconnect());

describe('rate limits behind a proxy', () => {
  it('takes the client address from the LAST X-Forwarded-For hop the trusted proxy added, not the first (client-written) one', async () => {
    const app = new Hono();
    app.get('/who', (c) => c.text(`${clientAddress(c, 1)}|${clientAddress(c, 2)}|${clientAddress(c, 0)}`));
    const seen = await app.request(
      '/who',
      { headers: { 'x-forwarded-for': '6.6.6.6, 10.0.0.7, 203.0.113.9' } },
      { incoming: { socket: { remoteAddress: '10.1.1.1', remotePort: 1, remoteFamily: 'IPv4' } } },
    );
    expect(await seen.text()).toBe('203.0.113.9|10.0.0.7|10.1.1.1');
    // A client that sends no header through a proxy that adds none cannot pick an address either.
    const none = await app.request(
      '/who',
      {},
      { incoming: { socket: { remoteAddress: '10.1.1.1', remotePort: 1, remoteFamily: 'IPv4' } } },
    );
    expect(await none.text()).toBe('10.1.1.1|10.1.1.1|10.1.1.1');
  });

  it("fails closed for sign-in (503 + Retry-After) and open for the API when the limiter's Redis is down", async () => {
    const limiter = rateLimiter(down, limits, createLogger('test'));
    const { app } = createServiceApp({ logger: createLogger('test'), readiness: {} });
    app.use('/api/*', limiter.byIp('open'));
    app.use('/auth/*', limiter.byIp('closed'));
    app.get('/api/menu', (c) => c.json({ items: [] }));
    app.get('/auth/jwks', (c) => c.json({ keys: [] }));
    const env = { incoming: { socket: { remoteAddress: '10.1.1.1', remotePort: 1, remoteFamily: 'IPv4' } } };
    expect((await app.request('/api/menu', {}, env)).status).toBe(200);
    const auth = await app.request('/auth/jwks', {}, env);
    expect(auth.status).toBe(503);
    expect(auth.headers.get('retry-after')).toBe('5');
    expect(await auth.json()).toMatchObject({ error: 'sign_in_unavailable' });
    // The per-username check (behind the per-address one in the gateway) fails closed on its own too.
    const byName = rateLimiter(down, limits, createLogger('test'));
    await expect(byName.signIns.check('kim')).rejects.toMatchObject({ status: 503 });
  });
});
