import { describe, expect, it } from 'vitest';
import { CustomerOrders } from '../src/application/customer-orders.js';
import { KitchenBoard } from '../src/application/kitchen-board.js';
import type { Call, Reply, Services } from '../src/application/ports.js';
import { NotAllowed, type Caller } from '../src/domain/caller.js';

/** Records every call and answers from a table keyed by "appId METHOD path". */
class FakeServices implements Services {
  readonly calls: Array<{ appId: string } & Call> = [];
  constructor(private readonly answers: Record<string, Reply> = {}) {}
  async call(appId: string, call: Call): Promise<Reply> {
    this.calls.push({ appId, ...call });
    return this.answers[`${appId} ${call.method} ${call.path}`] ?? { status: 200, body: {} };
  }
  async open(appId: string, path: string) {
    this.calls.push({ appId, method: 'GET', path });
    return { status: 200, body: null };
  }
}

const kim: Caller = { accountId: 'kim', role: 'customer' };
const lee: Caller = { accountId: 'lee', role: 'customer' };
const gangnamStaff: Caller = { accountId: 'staff-gangnam', role: 'staff', branch: 'gangnam' };
const ORDER = '6f1c2d3e-0000-4000-8000-000000000001';

describe('customer orders at the gateway', () => {
  it('places an order for the signed-in customer, whatever else the request says', async () => {
    const services = new FakeServices();
    await new CustomerOrders(services).place(kim, { storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] });
    expect(services.calls[0]).toMatchObject({
      appId: 'order',
      method: 'POST',
      path: '/orders',
      body: { customerId: 'kim', storeId: 'gangnam' },
    });
  });

  it('passes the Idempotency-Key on to order, which holds it (scoped by the customerId set here); none sent, none passed', async () => {
    const services = new FakeServices();
    const orders = new CustomerOrders(services);
    await orders.place(kim, { storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] }, 'key-1');
    await orders.cancel(kim, ORDER, 'key-2');
    await orders.place(kim, { storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] });
    expect(services.calls.map((call) => call.headers)).toEqual([{ 'idempotency-key': 'key-1' }, { 'idempotency-key': 'key-2' }, undefined]);
  });

  it('shows an order to its customer and answers 404 to anyone else, as if it did not exist', async () => {
    const services = new FakeServices({
      [`order-view GET /orders/${ORDER}`]: { status: 200, body: { orderId: ORDER, customerId: 'kim' } },
    });
    const orders = new CustomerOrders(services);
    expect((await orders.get(kim, ORDER)).status).toBe(200);
    expect(await orders.get(lee, ORDER)).toMatchObject({ status: 404, body: { error: 'order_not_found' } });
  });

  it('opens the live stream of an order for its customer only', async () => {
    const services = new FakeServices({
      [`order-view GET /orders/${ORDER}`]: { status: 200, body: { orderId: ORDER, customerId: 'kim' } },
    });
    const orders = new CustomerOrders(services);
    expect(await orders.follow(lee, ORDER, new AbortController().signal)).toMatchObject({ reply: { status: 404 } });
    expect(services.calls.some((c) => c.path.endsWith('/stream'))).toBe(false);
    await orders.follow(kim, ORDER, new AbortController().signal);
    expect(services.calls.at(-1)).toMatchObject({ appId: 'order-view', path: `/orders/${ORDER}/stream` });
  });

  it('refuses staff (403) before calling anything', async () => {
    const services = new FakeServices();
    await expect(
      new CustomerOrders(services).place(gangnamStaff, { lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] }),
    ).rejects.toBeInstanceOf(NotAllowed);
    expect(services.calls).toHaveLength(0);
  });
});

describe('the kitchen board at the gateway', () => {
  it('uses the branch from the token', async () => {
    const services = new FakeServices();
    await new KitchenBoard(services).step(gangnamStaff, ORDER, 'start-cooking');
    expect(services.calls[0]).toMatchObject({ appId: 'store', method: 'POST', path: `/stores/gangnam/orders/${ORDER}/start-cooking` });
  });

  it('refuses customers and staff without a branch', async () => {
    const board = new KitchenBoard(new FakeServices());
    await expect(board.queue(kim)).rejects.toBeInstanceOf(NotAllowed);
    await expect(board.queue({ accountId: 'x', role: 'staff' })).rejects.toBeInstanceOf(NotAllowed);
  });
});
