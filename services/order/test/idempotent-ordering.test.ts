import { describe, expect, it } from 'vitest';
import { STANDARD_MENU } from '../src/domain/menu.js';
import { CancelOrder } from '../src/application/cancel-order.js';
import { PaymentDeclined, PaymentUnavailable } from '../src/application/errors.js';
import { IdempotencyKeyInUse, IdempotencyKeyReused } from '../src/application/idempotency.js';
import { IdempotentOrdering } from '../src/application/idempotent-ordering.js';
import { PlaceOrder } from '../src/application/place-order.js';
import type { PaymentGateway } from '../src/application/ports.js';
import { fakePayments, InMemoryFavorites, InMemoryIdempotencyRecords, InMemoryOrders } from './fakes.js';

const LEASE_MS = 45_000;

function setup(payments: PaymentGateway & { charged: number[]; refunded: string[] } = fakePayments('approve')) {
  let now = new Date('2026-05-01T12:00:00Z');
  const clock = { now: () => now };
  let next = 0;
  const ids = { next: () => `id-${++next}` };
  const orders = new InMemoryOrders();
  const records = new InMemoryIdempotencyRecords();
  const placeOrder = new PlaceOrder({ menu: STANDARD_MENU, orders, favorites: new InMemoryFavorites(), payments, clock, ids });
  // Waiting lets other requests run, then advances the fake clock instead of sleeping.
  const sleep = async (ms: number) => {
    await new Promise((r) => setTimeout(r, 0));
    now = new Date(now.getTime() + ms);
  };
  const ordering = new IdempotentOrdering({
    records,
    orders,
    placeOrder,
    cancelOrder: new CancelOrder({ orders }),
    clock,
    ids,
    leaseMs: LEASE_MS,
    waitMs: 5_000,
    pollMs: 100,
    sleep,
  });
  const later = (ms: number) => (now = new Date(now.getTime() + ms));
  return { orders, records, payments, ordering, later };
}

const command = { customerId: 'kim', storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };

/** pay answering only when told to, so a request can be "in flight" while another arrives. */
function heldPayments() {
  const base = fakePayments('approve');
  const waiting: Array<() => void> = [];
  return Object.assign(base, {
    async approve(request: Parameters<PaymentGateway['approve']>[0]) {
      await new Promise<void>((go) => waiting.push(go));
      base.charged.push(request.amountCents);
      return { paymentId: `payment-of-${request.orderId}` };
    },
    release: () => {
      for (const go of waiting.splice(0)) go();
    },
    waiting: () => waiting.length,
  });
}

describe('placing with an Idempotency-Key', () => {
  it('the same key and body answer the first order again: one order, one charge', async () => {
    const { orders, payments, ordering } = setup();
    const first = await ordering.place(command, 'key-1');
    const again = await ordering.place(command, 'key-1');
    expect(again).toEqual(first);
    expect(payments.charged).toHaveLength(1);
    expect(orders.saved.size).toBe(1);
    expect(orders.announcementsOf('OrderPlaced')).toHaveLength(1);
  });

  it('the same key with another body is refused and charges nothing', async () => {
    const { payments, ordering } = setup();
    await ordering.place(command, 'key-1');
    await expect(ordering.place({ ...command, lines: [{ menuItemId: 'bulgogi-burger', quantity: 2 }] }, 'key-1')).rejects.toBeInstanceOf(
      IdempotencyKeyReused,
    );
    await expect(ordering.place({ ...command, storeId: 'jongno' }, 'key-1')).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect(payments.charged).toHaveLength(1);
  });

  it('keys belong to an account: the same key from another customer is another order', async () => {
    const { ordering } = setup();
    const kims = await ordering.place(command, 'key-1');
    const lees = await ordering.place({ ...command, customerId: 'lee' }, 'key-1');
    expect(lees.orderId).not.toBe(kims.orderId);
    expect(lees.customerId).toBe('lee');
  });

  it('a double tap: the second request waits for the first one and gets its answer', async () => {
    const payments = heldPayments();
    const { orders, ordering } = setup(payments);
    const taps = Array.from({ length: 10 }, () => ordering.place(command, 'key-1'));
    await new Promise((r) => setTimeout(r, 0));
    expect(payments.waiting(), 'only the first request reached pay').toBe(1);
    payments.release();
    const answers = await Promise.all(taps);
    expect(new Set(answers.map((o) => o.orderId)).size).toBe(1);
    expect(payments.charged).toHaveLength(1);
    expect(orders.saved.size).toBe(1);
  });

  it('a second request that has waited long enough hears "still running, retry" (409), and nothing is charged twice', async () => {
    const payments = heldPayments();
    const { ordering } = setup(payments);
    const first = ordering.place(command, 'key-1');
    await new Promise((r) => setTimeout(r, 0));
    await expect(ordering.place(command, 'key-1')).rejects.toBeInstanceOf(IdempotencyKeyInUse);
    payments.release();
    await first;
    expect((await ordering.place(command, 'key-1')).orderId).toBe((await first).orderId);
    expect(payments.charged).toHaveLength(1);
  });

  it('a decline is the first answer too: repeated, not charged again', async () => {
    const payments = fakePayments(new PaymentDeclined('card limit'));
    const { ordering } = setup(payments);
    await expect(ordering.place(command, 'key-1')).rejects.toBeInstanceOf(PaymentDeclined);
    payments.approve = async () => {
      throw new Error('must not be asked again');
    };
    await expect(ordering.place(command, 'key-1')).rejects.toMatchObject({ reason: 'card limit' });
  });

  it('after a failure with no answer (pay busy), the same key tries again, and the earlier attempt can no longer commit', async () => {
    const payments = fakePayments(new PaymentUnavailable(5));
    const { orders, ordering } = setup(payments);
    await expect(ordering.place(command, 'key-1')).rejects.toBeInstanceOf(PaymentUnavailable);
    const [abandoned] = [...orders.intents.keys()];
    payments.approve = fakePayments('approve').approve;
    const order = await ordering.place(command, 'key-1');
    expect(order.orderId).not.toBe(abandoned);
    expect(orders.intents.get(abandoned!)?.claimed, 'the earlier intent is claimed: the sweep refunds whatever it charged').toBe(true);
    expect(orders.saved.size).toBe(1);
  });

  it('an attempt that died after storing its order (the answer never noted): the next request answers that order', async () => {
    const { orders, records, payments, ordering, later } = setup();
    const order = await ordering.place(command, 'key-1');
    // As if the process died right after the commit: the record still says "running".
    const [id] = [...records.records.keys()];
    const entry = records.records.get(id!)!;
    records.records.set(id!, { record: { ...entry.record, outcome: undefined }, version: entry.version + 1 });
    await expect(ordering.place(command, 'key-1')).rejects.toBeInstanceOf(IdempotencyKeyInUse);
    later(LEASE_MS);
    expect(await ordering.place(command, 'key-1')).toEqual(order);
    expect(payments.charged).toHaveLength(1);
    expect(orders.saved.size).toBe(1);
  });

  it('an attempt that died before storing its order: after its lease, the key places the order (once)', async () => {
    const { orders, records, payments, ordering, later } = setup();
    await records.create(
      { accountId: 'kim', key: 'key-1' },
      {
        fingerprint: await fingerprintOfCommand(),
        attemptId: 'dead',
        orderId: 'dead-order',
        leaseUntil: new Date('2026-05-01T12:00:30Z').toISOString(),
      },
    );
    await orders.notePaymentIntent({ orderId: 'dead-order', customerId: 'kim', amountCents: 5_900, notedAt: '2026-05-01T11:59:59Z' });
    later(LEASE_MS);
    const order = await ordering.place(command, 'key-1');
    expect(order.orderId).not.toBe('dead-order');
    expect(orders.intents.get('dead-order')?.claimed).toBe(true);
    expect(payments.charged).toHaveLength(1);
  });

  it('without a key, each request is a new order (as before)', async () => {
    const { ordering, payments } = setup();
    await ordering.place(command);
    await ordering.place(command);
    expect(payments.charged).toHaveLength(2);
  });
});

describe('cancelling with an Idempotency-Key', () => {
  it('the retry answers the first 202 again; the same key for another order is refused', async () => {
    const { orders, ordering } = setup();
    const placed = await ordering.place(command);
    const first = await ordering.cancel({ orderId: placed.orderId, customerId: 'kim' }, 'cancel-1');
    expect(first.cancellationRequested).toBe(true);
    expect(await ordering.cancel({ orderId: placed.orderId, customerId: 'kim' }, 'cancel-1')).toEqual(first);
    expect(orders.announcementsOf('OrderCancellationRequested')).toHaveLength(1);
    const other = await ordering.place(command);
    await expect(ordering.cancel({ orderId: other.orderId, customerId: 'kim' }, 'cancel-1')).rejects.toBeInstanceOf(IdempotencyKeyReused);
    await expect(ordering.place(command, 'cancel-1'), 'a key is one request, whichever endpoint').rejects.toBeInstanceOf(
      IdempotencyKeyReused,
    );
  });
});

/** The fingerprint the wrapper computes for `command`, read back from a record it wrote. */
async function fingerprintOfCommand(): Promise<string> {
  const { records, ordering } = setup();
  await ordering.place(command, 'probe');
  return (await records.find({ accountId: 'kim', key: 'probe' }))!.record.fingerprint;
}
