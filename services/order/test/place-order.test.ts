import { describe, expect, it } from 'vitest';
import { STANDARD_MENU } from '../src/domain/menu.js';
import type { OrderSnapshot } from '../src/domain/order.js';
import { PaymentDeclined, PaymentUnavailable } from '../src/application/errors.js';
import { GetOrder } from '../src/application/get-order.js';
import { OrderNotFound } from '../src/application/errors.js';
import { PlaceOrder } from '../src/application/place-order.js';
import type { OrderEvents, OrderRepository, PaymentGateway } from '../src/application/ports.js';

class InMemoryOrders implements OrderRepository {
  readonly saved = new Map<string, OrderSnapshot>();
  async findById(orderId: string) {
    return this.saved.get(orderId);
  }
  async insert(order: OrderSnapshot) {
    if (this.saved.has(order.orderId)) throw new Error('duplicate');
    this.saved.set(order.orderId, order);
  }
}

class RecordingEvents implements OrderEvents {
  readonly placed: OrderSnapshot[] = [];
  async orderPlaced(order: OrderSnapshot) {
    this.placed.push(order);
  }
}

function payments(outcome: 'approve' | PaymentDeclined | PaymentUnavailable): PaymentGateway & { charged: number[] } {
  const charged: number[] = [];
  return {
    charged,
    async approve(request) {
      if (outcome !== 'approve') throw outcome;
      charged.push(request.amountCents);
      return { paymentId: `payment-of-${request.orderId}` };
    },
  };
}

function setup(outcome: Parameters<typeof payments>[0]) {
  const orders = new InMemoryOrders();
  const events = new RecordingEvents();
  const gateway = payments(outcome);
  const placeOrder = new PlaceOrder({
    menu: STANDARD_MENU,
    orders,
    payments: gateway,
    events,
    clock: { now: () => new Date('2026-05-01T12:00:00Z') },
    ids: { next: () => 'order-1' },
  });
  return { orders, events, gateway, placeOrder };
}

const command = { customerId: 'kim', storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 3 }] };

describe('placing an order', () => {
  it('charges the menu total, then stores and announces the paid order', async () => {
    const { orders, events, gateway, placeOrder } = setup('approve');
    const order = await placeOrder.execute(command);
    expect(gateway.charged).toEqual([3 * 5_900]);
    expect(order).toMatchObject({ orderId: 'order-1', status: 'Paid', paymentId: 'payment-of-order-1', totalCents: 17_700 });
    expect(orders.saved.get('order-1')).toEqual(order);
    expect(events.placed).toEqual([order]);
  });

  for (const failure of [new PaymentDeclined('card limit'), new PaymentUnavailable(5)]) {
    it(`creates and announces nothing when payment fails (${failure.constructor.name})`, async () => {
      const { orders, events, placeOrder } = setup(failure);
      await expect(placeOrder.execute(command)).rejects.toBe(failure);
      expect(orders.saved.size).toBe(0);
      expect(events.placed).toHaveLength(0);
    });
  }

  it('reads a stored order and reports an unknown one', async () => {
    const { orders, placeOrder } = setup('approve');
    const order = await placeOrder.execute(command);
    const getOrder = new GetOrder(orders);
    expect(await getOrder.execute(order.orderId)).toEqual(order);
    await expect(getOrder.execute('nope')).rejects.toBeInstanceOf(OrderNotFound);
  });
});
