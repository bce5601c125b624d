import { describe, expect, it } from 'vitest';
import { StoreEvent } from '@burger/contracts';
import { STANDARD_MENU } from '../src/domain/menu.js';
import { CancellationRefused, paidOrder, priceOrder, type OrderStatus } from '../src/domain/order.js';
import { CancelOrder } from '../src/application/cancel-order.js';
import { OrderNotFound } from '../src/application/errors.js';
import { FollowKitchen } from '../src/application/follow-kitchen.js';
import { InMemoryOrders } from './fakes.js';

const ORDER_ID = '11111111-1111-4111-8111-111111111111';

async function withOrder(status: OrderStatus = 'Paid') {
  const orders = new InMemoryOrders();
  const priced = priceOrder(
    { orderId: ORDER_ID, customerId: 'kim', storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] },
    STANDARD_MENU,
  );
  await orders.notePaymentIntent({ orderId: ORDER_ID, customerId: 'kim', amountCents: priced.totalCents, notedAt: '2026-05-01T12:00:00Z' });
  await orders.insert(
    { ...paidOrder(priced, '22222222-2222-4222-8222-222222222222', new Date('2026-05-01T12:00:00Z')), status },
    'OrderPlaced',
  );
  const cancellationRequests = () => orders.announcementsOf('OrderCancellationRequested');
  return { orders, cancellationRequests, cancel: new CancelOrder({ orders }), follow: new FollowKitchen(orders) };
}

/** A kitchen event, validated by the contract schema so the fixture cannot drift from it. */
const storeEvent = (type: StoreEvent['type'], extra: object = {}): StoreEvent =>
  StoreEvent.parse({
    type,
    orderId: ORDER_ID,
    customerId: 'kim',
    storeId: 'gangnam',
    eventId: crypto.randomUUID(),
    occurredAt: new Date().toISOString(),
    version: 1,
    ...extra,
  });

describe('cancelling an order', () => {
  it('asks the store (announces the request) and marks the order as waiting for the answer', async () => {
    const { orders, cancellationRequests, cancel } = await withOrder();
    const order = await cancel.execute({ orderId: ORDER_ID, customerId: 'kim' });
    expect(order).toMatchObject({ status: 'Paid', cancellationRequested: true });
    expect((await orders.findById(ORDER_ID))?.cancellationRequested).toBe(true);
    expect(cancellationRequests()).toEqual([order]);
  });

  it('treats a repeated request as the same request (stored and announced once)', async () => {
    const { orders, cancellationRequests, cancel } = await withOrder();
    await cancel.execute({ orderId: ORDER_ID, customerId: 'kim' });
    const version = (await orders.load(ORDER_ID))!.version;
    await cancel.execute({ orderId: ORDER_ID, customerId: 'kim' });
    expect((await orders.load(ORDER_ID))!.version).toBe(version);
    expect(cancellationRequests()).toHaveLength(1);
  });

  for (const status of ['Cooking', 'InDelivery', 'Delivered', 'Cancelled'] as const) {
    it(`refuses at once when the order is ${status}`, async () => {
      const { cancellationRequests, cancel } = await withOrder(status);
      await expect(cancel.execute({ orderId: ORDER_ID, customerId: 'kim' })).rejects.toBeInstanceOf(CancellationRefused);
      expect(cancellationRequests()).toHaveLength(0);
    });
  }

  it('does not let another customer cancel (or learn of) the order', async () => {
    const { cancel } = await withOrder();
    await expect(cancel.execute({ orderId: ORDER_ID, customerId: 'park' })).rejects.toBeInstanceOf(OrderNotFound);
  });

  it('retries when the order changed between read and write', async () => {
    const { orders, cancel } = await withOrder();
    const realUpdate = orders.update.bind(orders);
    let first = true;
    orders.update = async (order, version) => {
      if (first) (first = false), orders.touch(ORDER_ID);
      return realUpdate(order, version);
    };
    const order = await cancel.execute({ orderId: ORDER_ID, customerId: 'kim' });
    expect(order.cancellationRequested).toBe(true);
  });
});

describe('following the kitchen', () => {
  it('moves the order through cooking, delivery and delivered', async () => {
    const { orders, follow } = await withOrder();
    for (const [type, status] of [
      ['CookingStarted', 'Cooking'],
      ['DeliveryStarted', 'InDelivery'],
      ['OrderDelivered', 'Delivered'],
    ] as const) {
      await follow.execute(storeEvent(type));
      expect((await orders.findById(ORDER_ID))?.status).toBe(status);
    }
  });

  it('ignores a redelivered or older step', async () => {
    const { orders, follow } = await withOrder();
    await follow.execute(storeEvent('CookingStarted'));
    await follow.execute(storeEvent('DeliveryStarted'));
    expect(await follow.execute(storeEvent('CookingStarted'))).toEqual({ changed: false });
    expect((await orders.findById(ORDER_ID))?.status).toBe('InDelivery');
  });

  it('settles a pending cancellation either way', async () => {
    const accepted = await withOrder();
    await accepted.cancel.execute({ orderId: ORDER_ID, customerId: 'kim' });
    await accepted.follow.execute(storeEvent('OrderCancelled', { paymentId: '22222222-2222-4222-8222-222222222222' }));
    expect(await accepted.orders.findById(ORDER_ID)).toMatchObject({ status: 'Cancelled', cancellationRequested: false });

    const rejected = await withOrder();
    await rejected.cancel.execute({ orderId: ORDER_ID, customerId: 'kim' });
    await rejected.follow.execute(storeEvent('CancellationRejected', { reason: 'cooking started' }));
    await rejected.follow.execute(storeEvent('CookingStarted'));
    expect(await rejected.orders.findById(ORDER_ID)).toMatchObject({ status: 'Cooking', cancellationRequested: false });
  });

  it('moves the order on CookingStarted, and does not even read it for OrderQueued (which moves nothing)', async () => {
    const { orders, follow } = await withOrder();
    let loads = 0;
    const load = orders.load.bind(orders);
    orders.load = async (orderId) => {
      loads += 1;
      return load(orderId);
    };
    expect(await follow.execute(storeEvent('OrderQueued'))).toEqual({ changed: false });
    expect(loads).toBe(0);
    expect(await follow.execute(storeEvent('CookingStarted'))).toEqual({ changed: true });
    expect(loads).toBeGreaterThan(0);
    expect((await orders.findById(ORDER_ID))?.status).toBe('Cooking');
  });
});
