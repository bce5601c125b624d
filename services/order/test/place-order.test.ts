import { describe, expect, it } from 'vitest';
import { STANDARD_MENU } from '../src/domain/menu.js';
import { NoStoreChosen, OrderNotFound, PaymentDeclined, PaymentUnavailable } from '../src/application/errors.js';
import { GetOrder } from '../src/application/get-order.js';
import { PlaceOrder } from '../src/application/place-order.js';
import { PaymentIntentClaimed } from '../src/application/ports.js';
import { fakePayments, InMemoryFavorites, InMemoryOrders } from './fakes.js';

function setup(outcome: 'approve' | Error = 'approve') {
  const orders = new InMemoryOrders();
  const favorites = new InMemoryFavorites();
  const payments = fakePayments(outcome);
  const placeOrder = new PlaceOrder({
    menu: STANDARD_MENU,
    orders,
    favorites,
    payments,
    clock: { now: () => new Date('2026-05-01T12:00:00Z') },
    ids: { next: () => 'order-1' },
  });
  return { orders, favorites, payments, placeOrder };
}

const command = { customerId: 'kim', storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 3 }] };

describe('placing an order', () => {
  it('charges the menu total, then stores the paid order together with its announcement', async () => {
    const { orders, payments, placeOrder } = setup();
    const order = await placeOrder.execute(command);
    expect(payments.charged).toEqual([3 * 5_900]);
    expect(order).toMatchObject({
      orderId: 'order-1',
      status: 'Paid',
      cancellationRequested: false,
      paymentId: 'payment-of-order-1',
      totalCents: 17_700,
    });
    expect(orders.saved.get('order-1')?.order).toEqual(order);
    expect(orders.announcementsOf('OrderPlaced')).toEqual([order]);
  });

  const failures = [
    { failure: new PaymentDeclined('card limit'), intentKept: false },
    { failure: new PaymentUnavailable(5), intentKept: true },
  ];
  for (const { failure, intentKept } of failures) {
    it(`creates and announces nothing when payment fails (${failure.message}; intent ${intentKept ? 'kept for the sweep' : 'dropped'})`, async () => {
      const { orders, placeOrder } = setup(failure);
      await expect(placeOrder.execute(command)).rejects.toBe(failure);
      expect(orders.saved.size).toBe(0);
      expect(orders.intents.size, 'an outcome nobody knows is left for the abandoned-payment sweep').toBe(intentKept ? 1 : 0);
      expect(orders.announced).toHaveLength(0);
    });
  }

  it('refunds at once a charge whose order provably never got stored (its intent is ours now), and announces nothing', async () => {
    const { orders, payments, placeOrder } = setup();
    orders.failInsert = true;
    await expect(placeOrder.execute(command)).rejects.toThrow('database unavailable');
    expect(payments.refunded).toEqual(['order-1']);
    expect(orders.announced).toHaveLength(0);
    expect(orders.intents.size, 'settled here, nothing left for the sweep').toBe(0);
  });

  it('a write that committed but reported failure: the order stands, announced once, never refunded', async () => {
    const { orders, payments, placeOrder } = setup();
    orders.commitThenFail = true;
    const order = await placeOrder.execute(command);
    expect(order).toMatchObject({ orderId: 'order-1', status: 'Paid' });
    expect(payments.refunded).toEqual([]);
    expect(orders.announcementsOf('OrderPlaced')).toEqual([order]);
  });

  it('the sweep claimed the intent first: no order can exist any more, so the refund is safe (pay refunds once)', async () => {
    const { orders, payments, placeOrder } = setup();
    const insert = orders.insert.bind(orders);
    orders.insert = async (order, announcement) => {
      await orders.claimPaymentIntent(order.orderId); // the sweep, just before our commit
      return insert(order, announcement);
    };
    await expect(placeOrder.execute(command)).rejects.toBeInstanceOf(PaymentIntentClaimed);
    expect(orders.saved.size).toBe(0);
    expect(payments.refunded).toEqual(['order-1']);
  });

  it('when it cannot be known whether the order got stored, refunds nothing and leaves the intent to the sweep', async () => {
    const { orders, payments, placeOrder } = setup();
    const insert = orders.insert.bind(orders);
    orders.insert = async (order, announcement) => {
      orders.failReads = true; // the store goes away mid-write
      return insert(order, announcement);
    };
    orders.failInsert = true;
    await expect(placeOrder.execute(command)).rejects.toThrow('database unavailable');
    expect(payments.refunded).toEqual([]);
    expect(orders.intents.size, 'the sweep settles it once the store is back').toBe(1);
  });

  it('intent gone and no order (settled by the sweep meanwhile): nothing refunded here again', async () => {
    const { orders, payments, placeOrder } = setup();
    orders.insert = async (order) => {
      orders.intents.delete(order.orderId); // the sweep claimed, refunded and forgot it
      throw new PaymentIntentClaimed(order.orderId);
    };
    await expect(placeOrder.execute(command)).rejects.toBeInstanceOf(PaymentIntentClaimed);
    expect(payments.refunded).toEqual([]);
  });

  it("sends an order without a store to the customer's favourite branch", async () => {
    const { favorites, placeOrder } = setup();
    await favorites.remember('kim', 'jongno', '2026-04-01T00:00:00.000Z');
    const order = await placeOrder.execute({ customerId: 'kim', lines: command.lines });
    expect(order.storeId).toBe('jongno');
  });

  it('refuses an order with no store and no favourite, before charging anything', async () => {
    const { payments, placeOrder } = setup();
    await expect(placeOrder.execute({ customerId: 'lee', lines: command.lines })).rejects.toBeInstanceOf(NoStoreChosen);
    expect(payments.charged).toHaveLength(0);
  });

  it('reads a stored order and reports an unknown one', async () => {
    const { orders, placeOrder } = setup();
    const order = await placeOrder.execute(command);
    const getOrder = new GetOrder(orders);
    expect(await getOrder.execute(order.orderId)).toEqual(order);
    await expect(getOrder.execute('nope')).rejects.toBeInstanceOf(OrderNotFound);
  });
});
