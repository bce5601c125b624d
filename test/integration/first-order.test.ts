import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Topic } from '@burger/contracts';
import { control, eventually, invoke } from '../support/api.js';
import { broker, orderRow, orderRowsWhere, paymentRecord, storeQueueRecord, topicMessages } from '../support/backing-stores.js';

/** The first slice through real sidecars: order → pay (invocation) → orderstore → pubsub → store's queue. */
describe('placing an order through real Dapr sidecars', () => {
  // A real branch (order refuses others before charging); the test reads only its own tickets.
  const storeId = 'yeouido';

  it('charges, stores and announces the order, and the store queues it', async () => {
    const placed = await invoke('order', 'POST', '/orders', {
      customerId: 'kim',
      storeId,
      lines: [
        { menuItemId: 'bulgogi-burger', quantity: 2 },
        { menuItemId: 'shrimp-burger', quantity: 1 },
      ],
    });
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order).toMatchObject({ customerId: 'kim', storeId, status: 'Paid', totalCents: 2 * 5_900 + 6_200 });
    expect(placed.headers.get('location')).toBe(`/orders/${order.orderId}`);

    // The same order, read back through the API…
    const read = await invoke('order', 'GET', `/orders/${order.orderId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(order);

    // …and where it really lives: a row in PostgreSQL,
    expect(await orderRow(order.orderId)).toMatchObject({ orderId: order.orderId, status: 'Paid', totalCents: order.totalCents });
    // a payment record in the payment store (SQLite locally),
    expect(await paymentRecord(order.orderId)).toMatchObject({
      paymentId: order.paymentId,
      amountCents: order.totalCents,
      status: 'Approved',
    });
    // one OrderPlaced message on the broker (on Kafka keyed, i.e. partitioned, by the orderId; Redis Streams has no keys),
    const messages = await topicMessages(Topic.orderEvents, (data) => data.orderId === order.orderId);
    expect(messages).toHaveLength(1);
    if (broker === 'kafka') expect(messages[0]!.key).toBe(order.orderId);
    expect(messages[0]!.cloudEvent.data).toMatchObject({
      type: 'OrderPlaced',
      orderId: order.orderId,
      storeId,
      paymentId: order.paymentId,
    });
    // and a ticket in that branch's queue in Redis.
    const queue = await eventually('order in the store queue', async () => {
      const record = await storeQueueRecord(storeId);
      return record?.tickets.some((t) => t.orderId === order.orderId) ? record : undefined;
    });
    expect(queue.tickets.filter((t) => t.orderId === order.orderId)).toHaveLength(1);

    const storeView = await invoke('store', 'GET', `/stores/${storeId}/queue`);
    expect(storeView.status).toBe(200);
    expect(storeView.body.orders.map((o: { orderId: string }) => o.orderId)).toContain(order.orderId);
  });

  it('rejects bad input with a 400 naming the field, and writes nothing', async () => {
    const customerId = `bad-input-${randomUUID()}`;
    const cases: Array<[unknown, string]> = [
      [{ customerId, storeId, lines: [{ menuItemId: 'bulgogi-burger', quantity: 0 }] }, 'lines.0.quantity'],
      [{ customerId, storeId, lines: [{ menuItemId: 'bulgogi-burger', quantity: 21 }] }, 'lines.0.quantity'],
      [{ customerId, storeId, lines: [] }, 'lines'],
      [{ customerId, lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] }, 'storeId'],
      [{ customerId, storeId, lines: [{ menuItemId: 'pizza', quantity: 1 }] }, 'lines.0.menuItemId'],
      [{ customerId, storeId, lines: [{ menuItemId: 'bulgogi-burger', quantity: 1, priceCents: 1 }] }, 'lines.0'],
    ];
    for (const [body, field] of cases) {
      const response = await invoke('order', 'POST', '/orders', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(response.body.message).toContain(field);
    }
    const notJson = await invoke('order', 'POST', '/orders', '{"customerId":');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe('invalid_json');

    expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId])).toHaveLength(0);
    expect(await topicMessages(Topic.orderEvents, (data) => data.customerId === customerId)).toHaveLength(0);
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    const unknown = await invoke('order', 'GET', `/orders/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('order_not_found');
    const malformed = await invoke('order', 'GET', '/orders/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields[0].field).toBe('orderId');
  });

  it('refuses callers that do not come through the sidecar, and pay refuses everyone but order', async () => {
    const info = (await import('../support/stack-info.js')).stackInfo();
    const direct = await fetch(`http://127.0.0.1:${info.apps.order!.appPort}/orders/${randomUUID()}`);
    expect(direct.status).toBe(401);
    const sidecarWithoutToken = await fetch(
      `http://127.0.0.1:${info.apps.order!.daprHttpPort}/v1.0/invoke/order/method/orders/${randomUUID()}`,
    );
    expect(sidecarWithoutToken.status).toBe(401);
    // store's sidecar serves no invocation API at all (store calls nobody); the gateway's, which does, is refused by pay's access list.
    const storeToPay = await invoke(
      'pay',
      'POST',
      '/payments',
      { orderId: randomUUID(), customerId: 'kim', storeId, amountCents: 100 },
      'store',
    );
    expect(storeToPay.status).toBe(404);
    const gatewayToPay = await invoke(
      'pay',
      'POST',
      '/payments',
      { orderId: randomUUID(), customerId: 'kim', storeId, amountCents: 100 },
      'gateway',
    );
    expect(gatewayToPay.status).toBe(403);
    expect(JSON.stringify(gatewayToPay.body)).toContain('access control policy has denied access');
  });

  it('creates no order when pay is unreachable, answers 503 with Retry-After, and recovers when pay is back', async () => {
    const customerId = `pay-down-${randomUUID()}`;
    const request = { customerId, storeId, lines: [{ menuItemId: 'cheese-burger', quantity: 1 }] };
    await control('pay', 'stop');
    try {
      const started = Date.now();
      const refused = await invoke('order', 'POST', '/orders', request);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.body).toMatchObject({ error: 'payment_unavailable' });
      expect(refused.body.message).toMatch(/try again shortly/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId])).toHaveLength(0);
      expect(await topicMessages(Topic.orderEvents, (data) => data.customerId === customerId)).toHaveLength(0);
    } finally {
      await control('pay', 'start');
    }
    const accepted = await eventually(
      'an order once pay is back',
      async () => {
        const response = await invoke('order', 'POST', '/orders', request);
        return response.status === 201 ? response : undefined;
      },
      30_000,
    );
    expect(await orderRow(accepted.body.orderId)).toMatchObject({ customerId, status: 'Paid' });
  });
});
