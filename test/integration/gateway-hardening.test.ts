import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { chromium } from 'playwright-core';
import { API_AUDIENCE, API_SCOPE } from '@burger/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIVE_STREAM_LIMITS } from '../../services/gateway/src/application/live-streams.js';
import { eventually } from '../support/api.js';
import { LEAK } from '../support/edge.js';
import { api, gatewayUrl, ISSUER, signIn, type Tokens } from '../support/front-door.js';
import { stackInfo } from '../support/stack-info.js';

/**
 * Issue 20, item 7, against the real stack: live-status streams are capped per account and end with
 * their token; /metrics is not on the public listener; the /auth proxy refuses path tricks and masks
 * failures; the gateway refuses access tokens that lack what auth always puts in them.
 */
const burger = { lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with auth's real key, shaped as auth mints them unless `change` says otherwise. */
async function mint(
  change: { claims?: Record<string, unknown>; drop?: string[]; typ?: string; iat?: number; exp?: number } = {},
): Promise<string> {
  const jwk = JSON.parse(stackInfo().secrets['auth-signing-key']) as JWK;
  const iat = change.iat ?? now();
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: API_AUDIENCE,
    sub: 'kim',
    role: 'customer',
    scope: API_SCOPE,
    client_id: 'burger-web',
    iat,
    exp: change.exp ?? iat + 300,
    ...change.claims,
  };
  for (const name of change.drop ?? []) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid!, typ: change.typ ?? 'at+jwt' })
    .sign(await importJWK(jwk, 'ES256'));
}

/** Opens kim's live stream on one gateway replica; answers the response (its body unread). */
const openStream = (orderId: string, token: string, instance = 'gateway') =>
  fetch(`${gatewayUrl(instance)}/api/orders/${orderId}/stream`, { headers: { authorization: `Bearer ${token}` } });

/** Reads a stream until it ends; answers all it said and when it ended. */
async function readToEnd(response: Response): Promise<{ text: string; endedAt: number }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { text, endedAt: Date.now() };
    text += value;
  }
}

/** A GET with the path sent exactly as written (fetch would normalise dot-segments). */
async function rawGet(path: string): Promise<{ status: number; contentType: string; body: string }> {
  const { request } = await import('node:http');
  const { port } = new URL(gatewayUrl());
  return new Promise((settle, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => settle({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('gateway hardening: streams, metrics, /auth paths, token claims', () => {
  let kim: Tokens;
  let lee: Tokens;
  let kimsOrder: string;
  let leesOrder: string;

  beforeAll(async () => {
    [kim, lee] = await Promise.all([signIn('kim'), signIn('lee')]);
    const placed = await Promise.all([
      api('POST', '/orders', kim.access_token, { ...burger, storeId: 'gangnam' }),
      api('POST', '/orders', lee.access_token, { ...burger, storeId: 'gangnam' }),
    ]);
    for (const p of placed) expect(p.status, JSON.stringify(p.body)).toBe(201);
    [kimsOrder, leesOrder] = placed.map((p) => p.body.orderId as string) as [string, string];
    await eventually('both orders in the view', async () => {
      const seen = await Promise.all([
        api('GET', `/orders/${kimsOrder}`, kim.access_token),
        api('GET', `/orders/${leesOrder}`, lee.access_token),
      ]);
      return seen.every((s) => s.status === 200) ? true : undefined;
    });
  });

  it(`caps live-status streams per account (${LIVE_STREAM_LIMITS.perAccount}): the next one is a 429 problem, another account is unaffected, a closed one frees its slot`, async () => {
    const held = await Promise.all(Array.from({ length: LIVE_STREAM_LIMITS.perAccount }, () => openStream(kimsOrder, kim.access_token)));
    try {
      for (const stream of held) expect(stream.status).toBe(200);
      const refused = await openStream(kimsOrder, kim.access_token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(await refused.json()).toMatchObject({ error: 'too_many_streams' });
      // lee's streams are counted apart.
      const lees = await openStream(leesOrder, lee.access_token);
      expect(lees.status).toBe(200);
      await lees.body!.cancel();
      // One of kim's closed: the gateway notices the client went away and gives the slot back.
      await held.shift()!.body!.cancel();
      const again = await eventually(
        'a freed slot',
        async () => {
          const next = await openStream(kimsOrder, kim.access_token);
          if (next.status === 200) return next;
          await next.body?.cancel();
          return undefined;
        },
        5_000,
      );
      held.push(again);
    } finally {
      await Promise.all(held.map((stream) => stream.body?.cancel()));
    }
  });

  it('ends a live stream when the token that opened it expires (a 4 s token), while one opened with a longer token goes on', async () => {
    const expiresAt = now() + 4;
    const shortLived = await mint({ exp: expiresAt });
    const [short, long] = await Promise.all([openStream(kimsOrder, shortLived), openStream(kimsOrder, kim.access_token)]);
    expect(short.status).toBe(200);
    expect(long.status).toBe(200);
    const ended = await Promise.race([readToEnd(short), new Promise<null>((settle) => setTimeout(() => settle(null), 12_000))]);
    expect(ended, 'the short-lived stream ended').not.toBeNull();
    expect(ended!.text).toContain('event: snapshot');
    expect(ended!.text).toContain('event: token_expired');
    // Not before the token's expiry, and within a second or two after it.
    expect(ended!.endedAt).toBeGreaterThanOrEqual(expiresAt * 1000 - 1_000);
    expect(ended!.endedAt).toBeLessThan(expiresAt * 1000 + 3_000);
    // The other stream is still open: its next read is still waiting.
    const reader = long.body!.getReader();
    await reader.read(); // the snapshot
    const pending = await Promise.race([
      reader.read().then(({ done }) => (done ? 'ended' : 'data')),
      new Promise((settle) => setTimeout(() => settle('open'), 500)),
    ]);
    expect(pending).not.toBe('ended');
    await reader.cancel();
  });

  it('never serves /metrics on the public listener (nor through the /auth proxy); the internal port does', async () => {
    const info = stackInfo();
    for (const instance of info.replicas.filter((name) => name.startsWith('gateway'))) {
      const response = await fetch(`${gatewayUrl(instance)}/metrics`);
      expect(response.status, instance).toBe(404);
      expect(await response.text()).not.toContain('burger_');
      const internal = await fetch(`http://127.0.0.1:${info.apps[instance]!.appMetricsPort}/metrics`);
      expect(internal.status, `${instance} internal metrics`).toBe(200);
      expect(await internal.text()).toContain('burger_http_request_duration_seconds');
    }
    for (const path of [
      '/auth/..%2Fmetrics',
      '/auth/..%2fmetrics',
      '/auth/%2e%2e%2Fmetrics',
      '/auth/..%5Cmetrics',
      '/auth/.%2E/metrics',
      '/auth/jwks/..',
      '/auth/./jwks',
      '/auth/x/../../metrics',
      '/auth/%252e%252e%252Fmetrics',
      '/api/..%2F..%2Fmetrics',
      '//auth/..%2Fmetrics',
    ]) {
      const answer = await rawGet(path);
      expect(answer.body, path).not.toContain('burger_');
      expect(answer.body, path).not.toMatch(LEAK);
      expect([400, 404], `${path}: ${answer.status} ${answer.body}`).toContain(answer.status);
      expect(answer.contentType, path).toContain('application/problem+json');
    }
    // What fetch would not send as is, sent as is: encoded slashes and dot-segments under /auth are a 400.
    for (const path of [
      '/auth/..%2Fmetrics',
      '/auth/..%5Cmetrics',
      '/auth/.%2E/jwks',
      '/auth/jwks/%2e%2e',
      '/auth/x/../jwks',
      `${gatewayUrl()}/auth/..%2Fmetrics`,
      `${gatewayUrl()}/auth/.%2E/metrics`,
    ]) {
      expect((await rawGet(path)).status, path).toBe(400);
    }
    // The provider's own paths still work.
    expect((await fetch(`${gatewayUrl()}/auth/jwks`)).status).toBe(200);
  });

  it("answers a broken /auth path and a sign-in post without its cookie with a 4xx problem, never a 500 or Dapr's words", async () => {
    const undecodable = await rawGet('/auth/%ff');
    expect(undecodable.status, undecodable.body).toBeGreaterThanOrEqual(400);
    expect(undecodable.status, undecodable.body).toBeLessThan(500);
    expect(undecodable.contentType).toContain('application/problem+json');
    expect(undecodable.body).not.toMatch(LEAK);
    expect(undecodable.body).not.toMatch(/dapr|errorCode/i);

    const noCookie = await fetch(`${gatewayUrl()}/auth/interaction/someinteraction/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=kim&password=whatever',
    });
    const text = await noCookie.text();
    expect(noCookie.status, text).toBeGreaterThanOrEqual(400);
    expect(noCookie.status, text).toBeLessThan(500);
    expect(noCookie.headers.get('content-type')).toContain('application/problem+json');
    expect(text).not.toMatch(LEAK);
    expect(text).not.toMatch(/dapr|errorCode/i);
    expect(JSON.parse(text)).toMatchObject({ error: 'sign_in_expired' });
  });

  it("refuses access tokens without exp, with an iat in the future, without sub, of another typ or scope, or too old; auth's own and a well-formed one pass", async () => {
    expect((await api('GET', '/me', kim.access_token)).status).toBe(200);
    expect((await api('GET', '/me', await mint())).status, 'well-formed').toBe(200);
    const refused: Array<[string, Promise<string>]> = [
      ['no exp', mint({ drop: ['exp'] })],
      ['no iat', mint({ drop: ['iat'] })],
      ['iat 2 min ahead', mint({ iat: now() + 120, exp: now() + 300 })],
      ['no sub', mint({ drop: ['sub'] })],
      ["typ JWT (an ID token's)", mint({ typ: 'JWT' })],
      ['no scope', mint({ drop: ['scope'] })],
      ['another scope', mint({ claims: { scope: 'openid profile' } })],
      ['issued 2 h ago, still unexpired', mint({ iat: now() - 7_200, exp: now() + 60 })],
      ['valid for a day', mint({ exp: now() + 86_400 })],
    ];
    for (const [what, token] of refused) {
      const answer = await api('GET', '/me', await token);
      expect(answer.status, what).toBe(401);
      expect(answer.headers.get('content-type'), what).toContain('application/problem+json');
    }
  });

  it('renders Swagger UI at /docs from the gateway alone (swagger-ui-dist), under its Content-Security-Policy', async () => {
    const toolchain = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '.run', 'toolchain.json'), 'utf8')) as {
      chromium?: string;
    };
    if (!toolchain.chromium) throw new Error('no chromium in .run/toolchain.json: run scripts/provision.sh');
    const browser = await chromium.launch({ executablePath: toolchain.chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const origins = new Set<string>();
      const refusedByCsp: string[] = [];
      page.on('request', (request) => origins.add(new URL(request.url()).origin));
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refusedByCsp.push(message.text());
      });
      await page.goto(`${gatewayUrl()}/docs`);
      // The operations are drawn from /openapi.json: the UI's script ran.
      await page.locator('.opblock-summary-path', { hasText: '/orders/{orderId}/stream' }).first().waitFor({ timeout: 15_000 });
      expect([...origins]).toEqual([new URL(gatewayUrl()).origin]);
      expect(refusedByCsp).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
