import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Topic } from '@burger/contracts';
import { eventually, invoke } from '../support/api.js';
import { orderRowsWhere, orderStoreExpiries, orderStoreRows, paymentsOfCustomer, topicMessages } from '../support/backing-stores.js';
import { payLatency, refundEvents, setFaults } from '../support/faults.js';
import { api, gatewayUrl, signIn } from '../support/front-door.js';
import { newCustomer, payment, waitUntilQueued } from '../support/scenario.js';

const storeId = 'gangnam';
const body = { storeId, lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };

/**
 * POST /api/orders, cut once the request is written and before any answer comes: a phone
 * losing its connection right after "Pay". Resolves when the connection is gone.
 */
function sendThenDrop(token: string, key: string, payload: unknown): Promise<void> {
  return new Promise((dropped, failed) => {
    const controller = new AbortController();
    const sent = request(`${gatewayUrl()}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      signal: controller.signal,
    });
    sent.on('response', () => failed(new Error('answered before the cut: pay is not slow enough')));
    sent.on('error', (error) => (error.name === 'AbortError' ? undefined : failed(error)));
    sent.on('finish', () => setTimeout(() => (controller.abort(), dropped()), 300));
    sent.end(JSON.stringify(payload));
  });
}

async function placeWithKey(token: string, key: string, payload: unknown) {
  const response = await fetch(`${gatewayUrl()}/api/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

/** What one account got since `since`, straight from the stores: orders (PostgreSQL), charges (SQLite), OrderPlaced (Kafka). */
async function outcomeSince(customerId: string, since: string) {
  // Nothing in flight any more: every payment intent of this account noted since then is consumed or settled.
  await eventually(
    'no request of this account still in flight',
    async () =>
      (
        await orderStoreRows(`value->>'kind' = 'payment-intent' AND value->>'customerId' = $1 AND value->>'notedAt' >= $2`, [
          customerId,
          since,
        ])
      ).length === 0
        ? true
        : undefined,
    30_000,
  );
  const orders = await orderRowsWhere(`value->>'customerId' = $1 AND value->>'placedAt' >= $2`, [customerId, since]);
  const charges = (await paymentsOfCustomer(customerId)).filter((p) => String(p.approvedAt) >= since);
  const ids = new Set(orders.map((o) => String(o.orderId)));
  const placed = await eventually(
    'every order announced',
    async () => {
      const found = await topicMessages(Topic.orderEvents, (d) => d.type === 'OrderPlaced' && ids.has(String(d.orderId)));
      return new Set(found.map((m) => m.cloudEvent.data.orderId)).size === ids.size ? found : undefined;
    },
    20_000,
  );
  return { orders: orders.length, charges: charges.length, orderPlaced: placed.length, orderIds: [...ids] };
}

describe('safe to retry: Idempotency-Key on the public API', () => {
  let kim: string;
  let lee: string;
  beforeAll(async () => {
    [kim, lee] = (await Promise.all([signIn('kim'), signIn('lee')])).map((tokens) => tokens.access_token) as [string, string];
  });
  afterEach(() => payLatency(0));

  it('a request cut before its answer, retried with the same key: one order, one charge, one OrderPlaced', async () => {
    const since = new Date().toISOString();
    const key = randomUUID();
    await payLatency(1_500);
    await sendThenDrop(kim, key, body);
    const retried = await placeWithKey(kim, key, body);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    const outcome = await outcomeSince('kim', since);
    console.log(`[retry after a cut connection] orders ${outcome.orders}, charges ${outcome.charges}, OrderPlaced ${outcome.orderPlaced}`);
    expect(outcome).toMatchObject({ orders: 1, charges: 1, orderPlaced: 1, orderIds: [retried.body.orderId] });

    // Later, the same key and body still answer the first order: the key is kept for at least 24 h (Dapr TTL in PostgreSQL).
    const again = await placeWithKey(kim, key, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(retried.body);
    const expiries = await orderStoreExpiries(`key LIKE 'order||idempotency-%' AND COALESCE(updatedate, insertdate) >= $1`, [since]);
    expect(expiries.length).toBeGreaterThan(0);
    for (const expiry of expiries) expect(expiry!.getTime() - Date.parse(since)).toBeGreaterThanOrEqual(24 * 3_600_000 - 60_000);
  });

  it('a double tap: 10 requests at once with one key make one order', async () => {
    const since = new Date().toISOString();
    const key = randomUUID();
    await payLatency(300);
    const answers = await Promise.all(Array.from({ length: 10 }, () => placeWithKey(kim, key, body)));
    const statuses = answers.map((a) => a.status);
    console.log(`[double tap] statuses ${statuses.join(',')}`);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(','),
    ).toBe(true);
    const placed = answers.filter((a) => a.status === 201);
    expect(placed.length).toBeGreaterThan(0);
    expect(new Set(placed.map((a) => a.body.orderId)).size).toBe(1);
    for (const busy of answers.filter((a) => a.status === 409)) {
      expect(busy.body.error).toBe('idempotency_key_in_use');
      expect(busy.headers.get('retry-after')).toBeTruthy();
    }
    const outcome = await outcomeSince('kim', since);
    console.log(`[double tap] orders ${outcome.orders}, charges ${outcome.charges}, OrderPlaced ${outcome.orderPlaced}`);
    expect(outcome).toMatchObject({ orders: 1, charges: 1, orderPlaced: 1 });
  });

  it('the same key with another body is a 422 and changes nothing; the key belongs to one account', async () => {
    const key = randomUUID();
    const first = await placeWithKey(kim, key, body);
    expect(first.status).toBe(201);
    const since = new Date().toISOString();
    const other = await placeWithKey(kim, key, { ...body, lines: [{ menuItemId: 'bulgogi-burger', quantity: 2 }] });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: 'idempotency_key_reused', message: expect.stringContaining('Idempotency-Key') });
    expect(await orderRowsWhere(`value->>'customerId' = 'kim' AND value->>'placedAt' >= $1`, [since])).toHaveLength(0);

    // Another customer using the same key string gets an order of their own, never kim's.
    const lees = await placeWithKey(lee, key, body);
    expect(lees.status).toBe(201);
    expect(lees.body.customerId).toBe('lee');
    expect(lees.body.orderId).not.toBe(first.body.orderId);
  });

  it('cancel with a key: the retry answers the first 202 again', async () => {
    const placed = await placeWithKey(kim, randomUUID(), body);
    const key = randomUUID();
    const cancel = () =>
      fetch(`${gatewayUrl()}/api/orders/${String(placed.body.orderId)}/cancel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${kim}`, 'idempotency-key': key },
      });
    const [first, second] = await Promise.all(
      [cancel(), cancel()].map((p) => p.then(async (r) => ({ status: r.status, body: await r.json() }))),
    );
    expect([first!.status, second!.status].filter((s) => s === 202).length).toBeGreaterThan(0);
    const again = await cancel();
    expect(again.status).toBe(202);
    expect((await again.json()).orderId).toBe(placed.body.orderId);
  });

  it('a malformed key is a 400 naming the header', async () => {
    const response = await placeWithKey(kim, 'x'.repeat(300), body);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('idempotency-key');
    expect((await api('GET', '/me', kim)).status).toBe(200);
  });
});

/**
 * The commit's reply is lost (the transaction committed; order is told it failed, as after
 * a sidecar retry that meets the ETag of the intent the first attempt consumed). Never an
 * order that is both refunded and cooked or queued.
 */
describe('safe to retry: an ambiguous commit', () => {
  afterEach(() => setFaults('order', { crash: 'none' }));

  it('committed but reported as failed: the order stands, is queued, and is not refunded', async () => {
    const customerId = newCustomer('ambiguous-commit');
    await setFaults('order', { crash: 'commit-then-fail' });
    const response = await invoke('order', 'POST', '/orders', { customerId, ...body });
    const [stored] = await orderRowsWhere(`value->>'customerId' = $1`, [customerId]);
    expect(stored, 'the transaction committed').toBeDefined();
    const orderId = String(stored!.orderId);
    await waitUntilQueued(storeId, [orderId]);
    const refunds = await refundEvents(orderId);
    console.log(`[ambiguous commit] answer ${response.status}, order stored and queued, PaymentRefunded ${refunds}`);
    expect(refunds, 'PaymentRefunded events for a queued order').toBe(0);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.orderId).toBe(orderId);
    // The intent was consumed by the commit, so the sweep has nothing of this order to settle either.
    expect(await orderStoreRows(`value->>'kind' = 'payment-intent' AND value->>'orderId' = $1`, [orderId])).toHaveLength(0);
    expect((await payment(orderId)).status).toBe('Approved');
  });

  it('failed before committing: no order, never announced, refunded exactly once', async () => {
    const customerId = newCustomer('failed-commit');
    await setFaults('order', { crash: 'fail-before-commit' });
    const response = await invoke('order', 'POST', '/orders', { customerId, ...body });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts/);
    const [charge] = await paymentsOfCustomer(customerId);
    expect(charge, 'pay charged before the failed write').toBeDefined();
    const orderId = String(charge!.orderId);
    await eventually('one PaymentRefunded', async () => ((await refundEvents(orderId)) === 1 ? true : undefined), 20_000);
    expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId])).toHaveLength(0);
    expect(await topicMessages(Topic.orderEvents, (d) => d.orderId === orderId)).toHaveLength(0);
    expect(await orderStoreRows(`value->>'orderId' = $1`, [orderId]), 'intent settled').toHaveLength(0);
  });
});
