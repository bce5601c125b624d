import { BRANCH_IDS, MENU_ITEM_IDS } from '@burger/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, eventually, invoke, readBody } from '../support/api.js';
import { attemptSignIn, gatewayUrl, signIn, type Tokens } from '../support/front-door.js';
import { forgetRateLimits, LEAK, uploadChunked, writtenFor } from '../support/edge.js';
import { stackInfo } from '../support/stack-info.js';

const line = { menuItemId: 'bulgogi-burger', quantity: 1 };
const PROBLEM = 'application/problem+json';

/** A raw request to the gateway: any method, body and content type, as a hostile client sends them. */
async function send(
  method: string,
  path: string,
  options: { token?: string; type?: string; body?: BodyInit; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${gatewayUrl()}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.type ? { 'content-type': options.type } : {}),
      ...options.headers,
    },
    body: options.body,
    ...(options.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await response.text();
  expect(text, `${method} ${path}`).not.toMatch(LEAK);
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: (text ? JSON.parse(text) : undefined) as Record<string, any> | undefined,
  };
}

/** A body without Content-Length (chunked): only a limit counted while streaming catches it. */
const chunked = (bytes: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 1_024)
        controller.enqueue(new TextEncoder().encode('x'.repeat(Math.min(1_024, bytes - sent))));
      controller.close();
    },
  });

describe('edge hardening: every bad input gets a clear 4xx problem and writes nothing', () => {
  let lee: Tokens;
  let before: { orders: number; charges: number };

  beforeAll(async () => {
    await forgetRateLimits();
    lee = await signIn('lee');
    before = await writtenFor('lee');
  });
  afterAll(forgetRateLimits);

  it('malformed JSON → 400, text/plain and form bodies → 415, too large → 413 (declared or chunked), in the problem shape', async () => {
    const order = JSON.stringify({ storeId: 'gangnam', lines: [line] });
    const malformed = await send('POST', '/api/orders', {
      token: lee.access_token,
      type: 'application/json',
      body: '{"storeId": "gangnam", "lines": [',
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: 'invalid_json' } });
    expect(malformed.headers.get('content-type')).toBe(PROBLEM);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const wrong = await send('POST', '/api/orders', {
        token: lee.access_token,
        type,
        body: type.includes('form') ? 'storeId=gangnam' : order,
      });
      expect(wrong, type).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
    }
    const favourite = await send('PUT', '/api/favorite-store', {
      token: lee.access_token,
      type: 'text/plain',
      body: '{"storeId":"jongno"}',
    });
    expect(favourite.status).toBe(415);

    const padded = JSON.stringify({ storeId: 'gangnam', lines: [line], pad: 'x'.repeat(5_000) });
    expect(await send('POST', '/api/orders', { token: lee.access_token, type: 'application/json', body: padded })).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large', maxBytes: 4_096 },
    });
    // Chunked (no Content-Length): counted as it streams, refused before authentication.
    expect((await send('POST', '/api/orders', { type: 'application/json', body: chunked(20_000) })).status).toBe(413);
    expect(
      (await send('PUT', '/api/favorite-store', { token: lee.access_token, type: 'application/json', body: chunked(5_000) })).status,
    ).toBe(413);
    // /auth is anonymous: its proxy counts too (16 KiB), before anything reaches the provider.
    const auth = await send('POST', '/auth/token', { type: 'application/x-www-form-urlencoded', body: chunked(40_000) });
    expect(auth).toMatchObject({ status: 413, body: { error: 'payload_too_large', maxBytes: 16_384 } });
    // A 20 MB upload is answered (413) long before it is all sent, and the connection closed: nothing buffers it.
    for (const path of ['/api/orders', '/auth/token']) {
      const started = Date.now();
      const answer = await uploadChunked(`${gatewayUrl()}${path}`, 20_000_000, { 'content-type': 'application/json' });
      expect([413, 'closed'], path).toContain(answer);
      expect(Date.now() - started, path).toBeLessThan(5_000);
    }
  });

  it('an undeclared method on a known path → 405 with Allow (before authentication); an unknown path → 404 problem', async () => {
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/api/orders', 'GET, HEAD, POST'],
      ['PUT', '/api/menu', 'GET, HEAD'],
      ['POST', '/api/branches', 'GET, HEAD'],
      ['PATCH', '/api/favorite-store', 'GET, HEAD, PUT'],
      ['GET', `/api/orders/${crypto.randomUUID()}/cancel`, 'POST'],
      ['DELETE', '/api/kitchen/queue', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const refused = await send(method, path);
      expect(refused, `${method} ${path}`).toMatchObject({ status: 405, body: { error: 'method_not_allowed' } });
      expect(refused.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
    expect(await send('GET', '/api/no-such-thing')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('refuses unknown branches and items, and ids with NUL, bidi or path characters, with a 400 on the field, before any charge', async () => {
    const order = (storeId: unknown, menuItemId: unknown = 'bulgogi-burger') =>
      send('POST', '/api/orders', {
        token: lee.access_token,
        type: 'application/json',
        body: JSON.stringify({ storeId, lines: [{ menuItemId, quantity: 1 }] }),
      });
    for (const storeId of ['atlantis', 'gang\u0000nam', 'gangnam\u202e', '../pay', 'GANGNAM', 'ｇａｎｇｎａｍ', 'x'.repeat(70)]) {
      const refused = await order(storeId);
      expect(refused.status, JSON.stringify(storeId)).toBe(400);
      expect(
        refused.body!.fields.map((f: { field: string }) => f.field),
        JSON.stringify(storeId),
      ).toEqual(['storeId']);
    }
    for (const menuItemId of ['pizza', 'bulgogi-burger\u0000', '\u2066bulgogi-burger\u2069']) {
      expect((await order('gangnam', menuItemId)).body!.fields[0].field).toBe('lines.0.menuItemId');
    }
    // The same refusal at order itself (a caller that is not the gateway: another service, gRPC's twin of this route).
    const direct = await invoke('order', 'POST', '/orders', { customerId: 'lee', storeId: 'atlantis', lines: [line] });
    expect(direct.status).toBe(400);
    expect(JSON.stringify(direct.body)).toContain('storeId');
    expect((await invoke('order', 'POST', '/orders', { customerId: 'l\u0000ee', storeId: 'gangnam', lines: [line] })).status).toBe(400);
  });

  it("wrote nothing for any refused request above: no order in PostgreSQL, no charge in pay's SQLite", async () => {
    // Refusals happen before the payment intent; give a late write (if there were one) time to land.
    await new Promise((settled) => setTimeout(settled, 1_000));
    expect(await writtenFor('lee')).toEqual(before);
    // Sanity: a valid order is still accepted and does write both.
    const placed = await send('POST', '/api/orders', {
      token: lee.access_token,
      type: 'application/json',
      body: JSON.stringify({ storeId: 'jongno', lines: [line] }),
    });
    expect(placed.status, placed.text).toBe(201);
    expect(await writtenFor('lee')).toEqual({ orders: before.orders + 1, charges: before.charges + 1 });
  });

  it('declares the menu item ids and branch ids in the OpenAPI document, so a schema-driven client can build valid orders', async () => {
    const doc = (await (await fetch(`${gatewayUrl()}/openapi.json`)).json()) as Record<string, any>;
    const body = doc.paths['/orders'].post.requestBody.content['application/json'].schema;
    expect(body.properties.storeId.enum).toEqual(BRANCH_IDS);
    expect(body.properties.lines.items.properties.menuItemId.enum).toEqual(MENU_ITEM_IDS);
    expect(doc.paths['/favorite-store'].put.requestBody.content['application/json'].schema.properties.storeId.enum).toEqual(BRANCH_IDS);
    expect(doc.paths['/menu'].get.responses['200'].content['application/json'].schema.properties.items.items.properties.id.enum).toEqual(
      MENU_ITEM_IDS,
    );
    expect(Object.keys(doc.paths['/orders'].post.responses)).toEqual(expect.arrayContaining(['400', '413', '415']));
    // The lists the enums come from are what the API serves.
    const branches = (await send('GET', '/api/branches')).body!.branches.map((b: { storeId: string }) => b.storeId);
    expect(branches).toEqual(BRANCH_IDS);
    expect((await send('GET', '/api/menu')).body!.items.map((i: { id: string }) => i.id)).toEqual(MENU_ITEM_IDS);
  });

  it('limits failed sign-ins per username (10 a minute): the 11th attempt waits, even with the right password; other names are unaffected', async () => {
    try {
      for (let attempt = 1; attempt <= 10; attempt++)
        expect(await attemptSignIn('park', `wrong-${attempt}`), `attempt ${attempt}`).toMatchObject({ status: 401 });
      const locked = await attemptSignIn('park', stackInfo().secrets['demo-password']);
      expect(locked).toMatchObject({ status: 429 });
      expect('page' in locked && locked.page).toContain('for this username');
      // Same address, another name: signs in (the limit is the name's, not the address's).
      expect('tokens' in (await attemptSignIn('choi', stackInfo().secrets['demo-password']))).toBe(true);
      // A username written differently (case, spaces) is the same username.
      expect(await attemptSignIn(' PARK ', 'wrong-again')).toMatchObject({ status: 429 });
    } finally {
      await forgetRateLimits();
    }
    expect('tokens' in (await attemptSignIn('park', stackInfo().secrets['demo-password']))).toBe(true);
  });

  it('refuses a username with control or bidi characters on the sign-in form (400), and logs nothing of it as typed', async () => {
    expect(await attemptSignIn('ki\u202em', 'whatever')).toMatchObject({ status: 400 });
    expect(await attemptSignIn('kim\u0000', 'whatever')).toMatchObject({ status: 400 });
  });

  it('passes failures on only in the problem shape: a stopped service behind the gateway is a generic problem, no Dapr text', async () => {
    await control('select-store', 'stop');
    try {
      const down = await send('GET', '/api/branches');
      expect(down.status).toBeGreaterThanOrEqual(502);
      expect(down.headers.get('content-type')).toBe(PROBLEM);
      expect(down.body).toMatchObject({ error: expect.stringMatching(/^(upstream_failed|temporarily_unavailable)$/) });
      expect(down.text).not.toMatch(/select-store|invoke|spiffe|ERR_/i);
    } finally {
      await control('select-store', 'start');
    }
    await eventually('branches again', async () => ((await send('GET', '/api/branches')).status === 200 ? true : undefined), 30_000);
    const body = await readBody(await fetch(`${gatewayUrl()}/api/branches`));
    expect(body).toHaveProperty('branches');
  }, 90_000);
});
