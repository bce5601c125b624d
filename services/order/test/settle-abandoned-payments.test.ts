import { describe, expect, it } from 'vitest';
import { STANDARD_MENU } from '../src/domain/menu.js';
import { PaymentIntentClaimed } from '../src/application/ports.js';
import { PlaceOrder } from '../src/application/place-order.js';
import { SettleAbandonedPayments } from '../src/application/settle-abandoned-payments.js';
import { fakePayments, InMemoryFavorites, InMemoryOrders } from './fakes.js';

function setup() {
  let now = new Date('2026-05-01T12:00:00Z');
  const clock = { now: () => now };
  const orders = new InMemoryOrders();
  const payments = fakePayments('approve');
  let nextId = 0;
  const placeOrder = new PlaceOrder({
    menu: STANDARD_MENU,
    orders,
    favorites: new InMemoryFavorites(),
    payments,
    clock,
    ids: { next: () => `order-${++nextId}` },
  });
  const settle = new SettleAbandonedPayments({ orders, payments, clock, abandonAfterMs: 20_000 });
  const later = (ms: number) => (now = new Date(now.getTime() + ms));
  return { orders, payments, placeOrder, settle, later };
}

const command = { customerId: 'kim', storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };

describe('charges whose order was never stored', () => {
  it('notes the intent before charging and consumes it with the order, so a stored order is never refunded', async () => {
    const { orders, payments, placeOrder, settle, later } = setup();
    await placeOrder.execute(command);
    expect(orders.intents.size).toBe(0);
    later(60_000);
    expect((await settle.execute()).settled).toEqual([]);
    expect(payments.refunded).toEqual([]);
  });

  it('refunds a charge left behind by a crash between payment and commit, once it is surely abandoned', async () => {
    const { orders, payments, placeOrder, settle, later } = setup();
    orders.failInsert = true; // the process "dies" at the commit; its own compensation never gets through
    payments.refund = async () => {
      throw new Error('process gone');
    };
    await expect(placeOrder.execute(command)).rejects.toThrow();
    const refunded: string[] = [];
    payments.refund = async (orderId) => void refunded.push(orderId);
    later(5_000);
    expect((await settle.execute()).settled, 'too young: the request may still be running').toEqual([]);
    later(20_000);
    expect((await settle.execute()).settled).toEqual(['order-1']);
    expect(refunded).toEqual(['order-1']);
    expect(orders.intents.size).toBe(0);
  });

  it('a refund that fails holds up no other: the rest are settled, the failed one waits for the next round', async () => {
    const { orders, payments, placeOrder, settle, later } = setup();
    orders.failInsert = true;
    payments.refund = async () => {
      throw new Error('process gone');
    };
    for (let i = 0; i < 3; i++) await expect(placeOrder.execute(command)).rejects.toThrow();
    payments.refund = async (orderId) => {
      if (orderId === 'order-1') throw new Error('pay answered 500');
    };
    later(30_000);
    const first = await settle.execute();
    expect(first.settled.sort()).toEqual(['order-2', 'order-3']);
    expect(first.failed.map((f) => f.orderId)).toEqual(['order-1']);
    payments.refund = async () => {};
    expect((await settle.execute()).settled).toEqual(['order-1']);
    expect(orders.intents.size).toBe(0);
  });

  it('a commit that comes after the sweep claimed the intent fails instead of storing a refunded order', async () => {
    const { orders, settle, later, placeOrder } = setup();
    const approve = placeOrder.execute.bind(placeOrder);
    orders.insert = (async (order, announcement) => {
      later(30_000);
      await settle.execute(); // the sweep runs while this request is "stuck" between pay and commit
      return InMemoryOrders.prototype.insert.call(orders, order, announcement);
    }) as InMemoryOrders['insert'];
    await expect(approve(command)).rejects.toBeInstanceOf(PaymentIntentClaimed);
    expect(orders.saved.size).toBe(0);
  });
});
