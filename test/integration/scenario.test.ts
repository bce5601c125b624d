import { describe, expect, it } from 'vitest';
import { Topic } from '@burger/contracts';
import { control, eventually, invoke } from '../support/api.js';
import { topicMessages } from '../support/backing-stores.js';
import { kakaoMessages, kitchen, newCustomer, orderStatus, payment, placeOrder, viewOf, waitUntilQueued } from '../support/scenario.js';

/** One test per functional requirement of the seed, against the real stack. */
describe('the burger scenario', () => {
  it('FR1: a customer registers a favourite branch; orders without a store go there, even while select-store is down', async () => {
    const customerId = newCustomer('fr1');
    const branches = await invoke('select-store', 'GET', '/branches');
    expect(branches.status).toBe(200);
    expect(branches.body.branches.map((b: { storeId: string }) => b.storeId)).toContain('jongno');

    const unknown = await invoke('select-store', 'PUT', `/customers/${customerId}/favorite-store`, { storeId: 'atlantis' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('storeId');

    const selected = await invoke('select-store', 'PUT', `/customers/${customerId}/favorite-store`, { storeId: 'jongno' });
    expect(selected.status).toBe(200);
    const events = await eventually('FavoriteStoreSelected on the topic', async () => {
      const found = await topicMessages(Topic.customerEvents, (data) => data.customerId === customerId);
      return found.length ? found : undefined;
    });
    expect(events[0]!.cloudEvent.data).toMatchObject({ type: 'FavoriteStoreSelected', storeId: 'jongno' });

    // order's own replica catches up from the event…
    const first = await eventually('an order routed to the favourite', async () => {
      const response = await invoke('order', 'POST', '/orders', { customerId, lines: [{ menuItemId: 'shrimp-burger', quantity: 1 }] });
      return response.status === 201 ? response.body : undefined;
    });
    expect(first.storeId).toBe('jongno');
    // …so it needs no select-store at all.
    await control('select-store', 'stop');
    try {
      expect((await placeOrder(customerId, undefined)).storeId).toBe('jongno');
    } finally {
      await control('select-store', 'start');
    }

    const nobody = await invoke('order', 'POST', '/orders', {
      customerId: newCustomer('nofav'),
      lines: [{ menuItemId: 'shrimp-burger', quantity: 1 }],
    });
    expect(nobody.status).toBe(400);
    expect(nobody.body.fields[0].field).toBe('storeId');
  });

  it('FR2: the menu has prices, and the total is computed from it on the server', async () => {
    const menu = await invoke('order', 'GET', '/menu');
    const prices = Object.fromEntries(menu.body.items.map((i: { id: string; priceCents: number }) => [i.id, i.priceCents]));
    const order = await placeOrder(newCustomer('fr2'), 'gangnam', [
      { menuItemId: 'cheese-burger', quantity: 3 },
      { menuItemId: 'veggie-burger', quantity: 2 },
    ]);
    expect(order.totalCents).toBe(3 * prices['cheese-burger'] + 2 * prices['veggie-burger']);
  });

  it('FR3: the customer pays synchronously; the payment history is queryable per order and per customer', async () => {
    const customerId = newCustomer('fr3');
    const a = await placeOrder(customerId, 'gangnam');
    const b = await placeOrder(customerId, 'hongdae');
    expect(await payment(a.orderId)).toMatchObject({ status: 'Approved', amountCents: a.totalCents });
    const history = await invoke('pay', 'GET', `/customers/${customerId}/payments`, undefined, 'order');
    expect(history.body.payments.map((p: { orderId: string }) => p.orderId).sort()).toEqual([a.orderId, b.orderId].sort());
  });

  it('FR4 + FR5: the order reaches its branch; staff cook it, send it out and deliver it', async () => {
    const order = await placeOrder(newCustomer('fr5'), 'jamsil');
    await waitUntilQueued('jamsil', [order.orderId]);
    for (const [step, status] of [
      ['start-cooking', 'Cooking'],
      ['start-delivery', 'InDelivery'],
      ['delivered', 'Delivered'],
    ] as const) {
      const response = await kitchen('jamsil', order.orderId, step);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      await orderStatus(order.orderId, (o) => o.status === status);
      await viewOf(order.orderId, (v) => v.status === status);
    }
    const outOfOrder = await kitchen('jamsil', order.orderId, 'start-cooking');
    expect(outOfOrder.status).toBe(409);
  });

  it('FR6 + FR7: cancel before cooking → out of the queue, refunded once; after cooking → refused with the reason', async () => {
    const customerId = newCustomer('fr6');
    const early = await placeOrder(customerId, 'yeouido');
    await waitUntilQueued('yeouido', [early.orderId]);
    const cancel = await invoke('order', 'POST', `/orders/${early.orderId}/cancel`, { customerId });
    expect(cancel.status).toBe(202);
    await orderStatus(early.orderId, (o) => o.status === 'Cancelled');
    await eventually('refund', async () => ((await payment(early.orderId)).status === 'Refunded' ? true : undefined));
    const queue = await invoke('store', 'GET', '/stores/yeouido/queue');
    expect(queue.body.orders.map((o: { orderId: string }) => o.orderId)).not.toContain(early.orderId);
    await viewOf(early.orderId, (v) => v.status === 'Cancelled' && v.refunded === true);
    const refunds = await topicMessages(Topic.paymentEvents, (d) => d.orderId === early.orderId && d.type === 'PaymentRefunded');
    expect(refunds, 'refunded once: one PaymentRefunded').toHaveLength(1);

    const late = await placeOrder(customerId, 'yeouido');
    await waitUntilQueued('yeouido', [late.orderId]);
    expect((await kitchen('yeouido', late.orderId, 'start-cooking')).status).toBe(200);
    await orderStatus(late.orderId, (o) => o.status === 'Cooking');
    const refused = await invoke('order', 'POST', `/orders/${late.orderId}/cancel`, { customerId });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/being cooked/);
    expect((await payment(late.orderId)).status).toBe('Approved');

    const stranger = await invoke('order', 'POST', `/orders/${early.orderId}/cancel`, { customerId: 'someone-else' });
    expect(stranger.status).toBe(404);
  });

  it("FR8: the status, its timeline and the customer's orders are readable at any time from the view, and stream live", async () => {
    const customerId = newCustomer('fr8');
    const order = await placeOrder(customerId, 'gangnam');
    // Eventually consistent: the view may see PaymentApproved (another topic) before OrderPlaced.
    const summary = await viewOf(
      order.orderId,
      (v) => v.status === 'Paid' && v.timeline.some((t: { type: string }) => t.type === 'OrderPlaced'),
    );
    expect(summary).toMatchObject({ orderId: order.orderId, customerId, storeId: 'gangnam' });
    expect(summary.timeline.map((t: { type: string }) => t.type)).toContain('OrderPlaced');
    const list = await eventually('customer list', async () => {
      const response = await invoke('order-view', 'GET', `/customers/${customerId}/orders`);
      return response.body?.orders?.length ? response.body : undefined;
    });
    expect(list.orders.map((o: { orderId: string }) => o.orderId)).toEqual([order.orderId]);

    // Live: open the stream, move the order on, see the change arrive.
    const info = (await import('../support/stack-info.js')).stackInfo();
    const stream = await fetch(
      `http://127.0.0.1:${info.apps.gateway!.daprHttpPort}/v1.0/invoke/order-view/method/orders/${order.orderId}/stream`,
      {
        // Through the gateway's sidecar, as the gateway streams it: order-view's own sidecar serves no invocation.
        headers: { 'dapr-api-token': (await import('../support/stack-info.js')).daprToken('gateway') },
        signal: AbortSignal.timeout(20_000),
      },
    );
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await waitUntilQueued('gangnam', [order.orderId]);
    await kitchen('gangnam', order.orderId, 'start-cooking');
    let received = '';
    while (!received.includes('Cooking')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(received).toContain('event: snapshot');
    expect(received).toMatch(/event: status[\s\S]*Cooking/);
  });

  it('FR9: every status change sends the customer exactly one KakaoTalk-shaped message', async () => {
    const customerId = newCustomer('fr9');
    const order = await placeOrder(customerId, 'hongdae');
    await waitUntilQueued('hongdae', [order.orderId]);
    for (const step of ['start-cooking', 'start-delivery', 'delivered'] as const) {
      await kitchen('hongdae', order.orderId, step);
      await orderStatus(
        order.orderId,
        (o) => o.status === { 'start-cooking': 'Cooking', 'start-delivery': 'InDelivery', delivered: 'Delivered' }[step],
      );
    }
    const messages = await eventually('four messages', async () => {
      const received = await kakaoMessages(customerId);
      return received.length >= 4 ? received : undefined;
    });
    // Let any late duplicate arrive before counting.
    await new Promise((done) => setTimeout(done, 1_500));
    const all = await kakaoMessages(customerId);
    expect(all).toHaveLength(4);
    expect(new Set(all.map((m) => m.idempotencyKey)).size).toBe(4);
    expect(all.every((m) => m.body.receiver_uuids[0] === customerId)).toBe(true);
    expect(messages.map((m) => m.body.template_object.text).join('\n')).toMatch(/deliver/i);
    const inbox = await invoke('notification', 'GET', `/customers/${customerId}/messages`);
    expect(inbox.status).toBe(200);
  });
});
