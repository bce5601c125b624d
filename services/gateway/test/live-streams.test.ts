import { Problem } from '@burger/service-kit';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { holdLiveStream } from '../src/adapters/http/live-stream.js';
import type { GatewayEnv } from '../src/adapters/http/authenticate.js';
import { LiveStreams } from '../src/application/live-streams.js';

describe('live-status streams: bounded per account, per address and in all', () => {
  it('refuses the next stream of an account at its cap, and takes one again once a slot is released', () => {
    const streams = new LiveStreams({ perAccount: 2, perAddress: 10, total: 10 });
    const first = streams.acquire('kim', 'a');
    const second = streams.acquire('kim', 'b');
    expect(streams.acquire('kim', 'c')).toBe('account');
    expect(typeof streams.acquire('lee', 'a')).toBe('object');
    (first as { release(): void }).release();
    (first as { release(): void }).release(); // a stream ends once, however many ways it is told
    expect(typeof streams.acquire('kim', 'c')).toBe('object');
    expect(streams.acquire('kim', 'd')).toBe('account');
    expect(second).not.toBe('account');
  });

  it('bounds one address across accounts, and the replica in all', () => {
    const perAddress = new LiveStreams({ perAccount: 5, perAddress: 3, total: 100 });
    for (const account of ['a', 'b', 'c']) expect(typeof perAddress.acquire(account, '10.0.0.1')).toBe('object');
    expect(perAddress.acquire('d', '10.0.0.1')).toBe('address');
    expect(typeof perAddress.acquire('d', '10.0.0.2')).toBe('object');
    const total = new LiveStreams({ perAccount: 5, perAddress: 5, total: 2 });
    total.acquire('a', 'x');
    total.acquire('b', 'y');
    expect(total.acquire('c', 'z')).toBe('total');
    expect(total.size).toBe(2);
  });
});

/** A gateway route holding a stream from a fake order-view that never ends by itself. */
function streamingApp(streams: LiveStreams, tokenExpiresAt: number, upstreamClosed: { count: number }) {
  const app = new Hono<GatewayEnv>();
  app.onError((error, c) => (error instanceof Problem ? c.json(error.toJSON(), error.status as 429 | 401) : c.text('boom', 500)));
  app.get('/stream', async (c) => {
    c.set('caller', { accountId: 'kim', role: 'customer' });
    c.set('tokenExpiresAt', tokenExpiresAt);
    const held = await holdLiveStream(c, streams, '127.0.0.1', async (signal) => {
      signal.addEventListener('abort', () => (upstreamClosed.count += 1));
      const body = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(new TextEncoder().encode('event: snapshot\ndata: {}\n\n')),
      });
      return { stream: { status: 200, body } };
    });
    return 'response' in held ? held.response : c.json(held.reply.body, 404);
  });
  return app;
}

async function readAll(response: Response): Promise<string> {
  return new Response(response.body).text();
}

describe('a live stream ends with the token that opened it', () => {
  it("sends token_expired and closes at the token's expiry, closes order-view's stream and frees the slot", async () => {
    const streams = new LiveStreams({ perAccount: 1, perAddress: 10, total: 10 });
    const closed = { count: 0 };
    const started = performance.now();
    const app = streamingApp(streams, Date.now() + 300, closed);
    const response = await app.request('/stream');
    expect(response.status).toBe(200);
    expect((await app.request('/stream')).status).toBe(429); // the one slot is held meanwhile
    const text = await readAll(response);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200); // at the expiry, not at once
    expect(text).toContain('event: snapshot');
    expect(text).toMatch(/event: token_expired\n/);
    expect(closed.count).toBe(1);
    expect(streams.size).toBe(0);
  });

  it("frees the slot and closes order-view's stream when the client goes away", async () => {
    const streams = new LiveStreams({ perAccount: 1, perAddress: 10, total: 10 });
    const closed = { count: 0 };
    const app = streamingApp(streams, Date.now() + 60_000, closed);
    const response = await app.request('/stream');
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(streams.size).toBe(0);
    expect(closed.count).toBe(1);
    const again = await app.request('/stream');
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });

  it('opens no stream for a token already past its expiry (inside the clock skew): 401, refresh first', async () => {
    const streams = new LiveStreams();
    const response = await streamingApp(streams, Date.now() - 1_000, { count: 0 }).request('/stream');
    expect(response.status).toBe(401);
    expect(streams.size).toBe(0);
  });

  it('answers 429 in the problem shape at the cap', async () => {
    const streams = new LiveStreams({ perAccount: 0, perAddress: 10, total: 10 });
    const response = await streamingApp(streams, Date.now() + 60_000, { count: 0 }).request('/stream');
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({ error: 'too_many_streams' });
  });
});
