import { importJWK, SignJWT, type JWK } from 'jose';
import { API_AUDIENCE, API_SCOPE, Topic } from '@burger/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, invoke } from '../support/api.js';
import { api, attemptSignIn, gatewayUrl, ISSUER, refresh, signIn, type Tokens } from '../support/front-door.js';
import { forgetRateLimits } from '../support/edge.js';
import { pidOf, readyAgain } from '../support/processes.js';
import { daprToken, stackInfo } from '../support/stack-info.js';

const burger = { lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };

/** Signs a token with the auth service's real key, so only the claim under test is wrong. */
async function forge(claims: Record<string, unknown>, expiresAt: number): Promise<string> {
  const jwk = JSON.parse(stackInfo().secrets['auth-signing-key']) as JWK;
  // The scope auth grants with the audience: the gateway refuses an access token without it.
  return new SignJWT({ scope: API_SCOPE, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid!, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(API_AUDIENCE)
    .setIssuedAt(expiresAt - 900)
    .setExpirationTime(expiresAt)
    .sign(await importJWK(jwk, 'ES256'));
}

describe('the front door: gateway, OpenID Connect sign-in, roles, rate limits', () => {
  let kim: Tokens;
  let lee: Tokens;
  let gangnamStaff: Tokens;
  let jongnoStaff: Tokens;

  beforeAll(async () => {
    [kim, lee, gangnamStaff, jongnoStaff] = await Promise.all([signIn('kim'), signIn('lee'), signIn('park'), signIn('choi')]);
  });

  it('signs in with the authorization code flow + PKCE and issues a JWT for the burger API with role and branch', async () => {
    const claims = JSON.parse(Buffer.from(gangnamStaff.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: ISSUER, aud: API_AUDIENCE, sub: 'staff-gangnam', role: 'staff', branch: 'gangnam' });
    expect(await api('GET', '/me', kim.access_token)).toMatchObject({ status: 200, body: { accountId: 'kim', role: 'customer' } });
    const discovery = (await (await fetch(`${gatewayUrl()}/auth/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: ISSUER, token_endpoint: `${ISSUER}/token`, jwks_uri: `${ISSUER}/jwks` });
  });

  it('refuses a wrong password on the sign-in page', async () => {
    const result = await attemptSignIn('kim', 'not-the-password');
    expect(result).toMatchObject({ status: 401 });
    expect('page' in result && result.page).toContain('Wrong username or password');
  });

  it('answers 401 without a token, with a tampered token, and with an expired one', async () => {
    expect((await api('GET', '/menu')).status).toBe(200); // the menu is public
    const none = await api('GET', '/orders');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');

    const [head, payload, signature] = kim.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = [head, Buffer.from(JSON.stringify({ ...claims, sub: 'lee' })).toString('base64url'), signature].join('.');
    expect(await api('GET', '/me', tampered)).toMatchObject({ status: 401, body: { error: 'unauthorized' } });

    const expired = await forge({ sub: 'kim', role: 'customer' }, Math.floor(Date.now() / 1000) - 60);
    const stale = await api('GET', '/me', expired);
    expect(stale.status).toBe(401);
    expect(stale.body.message).toContain('expired');
    // The same forging with a valid expiry is accepted: the 401 above is the expiry, not the forging.
    expect((await api('GET', '/me', await forge({ sub: 'kim', role: 'customer' }, Math.floor(Date.now() / 1000) + 60))).status).toBe(200);
  });

  it('refreshes: the refresh token gives a new access token once (rotation), and the new one works', async () => {
    const tokens = await signIn('lee');
    const first = await refresh(tokens.refresh_token);
    expect(first.status).toBe(200);
    const renewed = (await first.json()) as Tokens;
    expect(renewed.access_token).not.toBe(tokens.access_token);
    expect((await api('GET', '/me', renewed.access_token)).status).toBe(200);
    const replayed = await refresh(tokens.refresh_token);
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('keeps sign-ins across a restart of auth (its sessions and refresh tokens live in the authstore, not in memory)', async () => {
    const tokens = await signIn('kim');
    const oldPid = pidOf('auth');
    process.kill(-oldPid, 'SIGTERM');
    await readyAgain('auth', oldPid);
    const renewed = await refresh(tokens.refresh_token);
    expect(renewed.status, await renewed.clone().text()).toBe(200);
    expect((await api('GET', '/me', ((await renewed.json()) as Tokens).access_token)).status).toBe(200);
  }, 60_000);

  it("lets a customer order for themselves only, and hides other customers' orders (404)", async () => {
    const sneaky = await api('POST', '/orders', kim.access_token, { ...burger, storeId: 'gangnam', customerId: 'lee' });
    expect(sneaky.status).toBe(400);
    expect(JSON.stringify(sneaky.body)).toContain('customerId');

    const placed = await api('POST', '/orders', kim.access_token, { ...burger, storeId: 'gangnam' });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orderId as string;
    expect(placed.body.customerId).toBe('kim');

    const seen = await eventually("the order in kim's view", async () => {
      const view = await api('GET', `/orders/${orderId}`, kim.access_token);
      return view.status === 200 ? view.body : undefined;
    });
    expect(seen).toMatchObject({ orderId, customerId: 'kim' });
    expect((await api('GET', `/orders/${orderId}`, lee.access_token)).status).toBe(404);
    expect((await api('POST', `/orders/${orderId}/cancel`, lee.access_token)).status).toBe(404);
    expect((await api('GET', `/orders/${orderId}/stream`, lee.access_token)).status).toBe(404);
    // kim's own live stream starts with the snapshot of the order (Server-Sent Events through gateway and Dapr).
    const stream = await fetch(`${gatewayUrl()}/api/orders/${orderId}/stream`, {
      headers: { authorization: `Bearer ${kim.access_token}` },
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    while (!received.includes('\n\n')) received += (await reader.read()).value ?? '';
    await reader.cancel();
    expect(received).toContain('event: snapshot');
    expect(received).toContain(orderId);
    expect(await api('GET', '/orders/not-a-uuid', kim.access_token)).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
  });

  it("lets staff work their own branch's kitchen only; customers get 403 there, staff cannot order", async () => {
    const placed = await api('POST', '/orders', lee.access_token, { ...burger, storeId: 'gangnam' });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orderId as string;
    await eventually(
      'the order on the gangnam board',
      async () => {
        const board = await api('GET', '/kitchen/queue', gangnamStaff.access_token);
        return (board.body.orders as Array<{ orderId: string }>).some((o) => o.orderId === orderId) || undefined;
      },
      20_000,
    );
    const jongnoBoard = await api('GET', '/kitchen/queue', jongnoStaff.access_token);
    expect(jongnoBoard.body.storeId).toBe('jongno');
    expect((jongnoBoard.body.orders as Array<{ orderId: string }>).some((o) => o.orderId === orderId)).toBe(false);
    expect((await api('POST', `/kitchen/orders/${orderId}/start-cooking`, jongnoStaff.access_token)).status).toBe(404);
    expect(await api('POST', `/kitchen/orders/${orderId}/start-cooking`, gangnamStaff.access_token)).toMatchObject({
      status: 200,
      body: { status: 'Cooking' },
    });

    expect((await api('GET', '/kitchen/queue', kim.access_token)).status).toBe(403);
    expect((await api('POST', '/orders', gangnamStaff.access_token, { ...burger, storeId: 'gangnam' })).status).toBe(403);
  });

  it('rate-limits per account across both gateway replicas (shared in Redis): 429 with Retry-After', async () => {
    expect(stackInfo().apps['gateway-2'], 'this test needs two gateway replicas').toBeDefined();
    const limit = 300; // RATE_LIMIT_USER_PER_MINUTE's default
    const tokens = await signIn('choi');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let sent = 0; sent < limit + 10; sent += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, i) => api('GET', '/me', tokens.access_token, undefined, (sent + i) % 2 ? 'gateway-2' : 'gateway')),
      );
      for (const reply of batch) {
        statuses.push(reply.status);
        retryAfter ??= reply.headers.get('retry-after');
      }
    }
    const allowed = statuses.filter((s) => s === 200).length;
    console.log(
      `[front-door] ${statuses.length} requests from one account over two replicas: ${allowed} allowed, ${statuses.filter((s) => s === 429).length} refused (Retry-After ${retryAfter} s)`,
    );
    // Each replica alone would allow 300; together they allow 300 at most (fewer if the window began with earlier requests).
    expect(allowed).toBeLessThanOrEqual(limit);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('rate-limits per client address too, on public routes (1,200 a minute), then forgets it for the other tests', async () => {
    const limit = 1_200; // RATE_LIMIT_IP_PER_MINUTE's default
    const statuses: number[] = [];
    try {
      for (let sent = 0; sent < limit + 40; sent += 40) {
        statuses.push(
          ...(await Promise.all(Array.from({ length: 40 }, () => fetch(`${gatewayUrl()}/api/branches`).then((r) => r.status)))),
        );
      }
      console.log(
        `[front-door] ${statuses.length} anonymous requests from 127.0.0.1: ${statuses.filter((s) => s === 200).length} allowed, ${statuses.filter((s) => s === 429).length} refused`,
      );
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(limit);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);
    } finally {
      await forgetRateLimits();
    }
  }, 60_000);

  it("keeps services out of reach: no app token → 401 at the app; gateway → pay refused by access control; auth's key unreadable elsewhere", async () => {
    const info = stackInfo();
    const direct = await fetch(`http://127.0.0.1:${info.apps.order!.appPort}/menu`);
    expect(direct.status).toBe(401);
    const viaGatewaySidecar = await invoke('pay', 'GET', '/customers/kim/payments', undefined, 'gateway');
    expect(viaGatewaySidecar.status).toBe(403);
    expect(JSON.stringify(viaGatewaySidecar.body)).toContain('access control policy has denied access');
    // Sanity: order (in the allow list) may.
    expect((await invoke('pay', 'GET', '/customers/kim/payments', undefined, 'order')).status).toBe(200);
    // auth's signing key is in a secret store only auth's sidecar loads: another app's sidecar cannot read it.
    for (const store of ['authsecrets', 'localsecretstore']) {
      const read = await fetch(`http://127.0.0.1:${info.apps.gateway!.daprHttpPort}/v1.0/secrets/${store}/auth-signing-key`, {
        headers: { 'dapr-api-token': daprToken('gateway') },
      });
      expect(read.status, `${store}: ${await read.text()}`).not.toBe(200);
    }
  });

  it('publishes its OpenAPI document and the event catalogue (AsyncAPI), both generated from the zod schemas, and a Swagger UI', async () => {
    const doc = (await (await fetch(`${gatewayUrl()}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/menu',
        '/orders',
        '/orders/{orderId}',
        '/orders/{orderId}/cancel',
        '/kitchen/queue',
        '/kitchen/orders/{orderId}/{step}',
      ]),
    );
    expect(JSON.stringify(doc.paths['/orders'])).toContain('menuItemId');
    // Placing and cancelling declare the optional Idempotency-Key header (safe to retry).
    const paths = doc.paths as Record<string, { post?: { parameters?: Array<{ in: string; name: string; required?: boolean }> } }>;
    for (const path of ['/orders', '/orders/{orderId}/cancel']) {
      expect(paths[path]!.post!.parameters, path).toEqual(
        expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false })]),
      );
    }
    const ui = await fetch(`${gatewayUrl()}/docs`);
    expect(ui.status).toBe(200);
    // Swagger UI from the gateway itself (the npm package swagger-ui-dist), nothing from a CDN.
    const page = await ui.text();
    expect(page).toContain('/docs/swagger-ui-bundle.js');
    expect(page).not.toMatch(/(src|href)="https?:/);
    expect(await (await fetch(`${gatewayUrl()}/docs/swagger-ui-bundle.js`)).text()).toContain('SwaggerUIBundle');
    const events = (await (await fetch(`${gatewayUrl()}/asyncapi.json`)).json()) as { asyncapi: string; channels: Record<string, unknown> };
    expect(events.asyncapi).toBe('3.0.0');
    expect(Object.keys(events.channels).sort()).toEqual(Object.values(Topic).sort());
    expect(await (await fetch(`${gatewayUrl()}/events`)).text()).toContain('CookingStarted');
  });
});
