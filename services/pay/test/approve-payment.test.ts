import { describe, expect, it } from 'vitest';
import {
  ChargeDeclined,
  ConflictingCharge,
  MAX_CHARGE_CENTS,
  RefundRefused,
  type KitchenWord,
  type Payment,
} from '../src/domain/payment.js';
import { ApprovePayment } from '../src/application/approve-payment.js';
import { RefundPayment } from '../src/application/refund-payment.js';
import { ConcurrentWriteError } from '@burger/service-kit/concurrency';
import { PaymentAlreadyRecorded, type PaymentRepository } from '../src/application/ports.js';

/** Announcements are stored with the payment they announce (outbox), so the fake records them on write. */
class InMemoryPayments implements PaymentRepository {
  readonly byOrder = new Map<string, { payment: Payment; version: number }>();
  readonly announced: string[] = [];
  /** Simulates a concurrent retry that wins the insert race. */
  racer?: Payment;
  async findByOrder(orderId: string) {
    return this.byOrder.get(orderId)?.payment;
  }
  async load(orderId: string) {
    const entry = this.byOrder.get(orderId);
    return entry && { payment: entry.payment, version: String(entry.version) };
  }
  async insert(payment: Payment) {
    if (this.racer) {
      this.byOrder.set(this.racer.orderId, { payment: this.racer, version: 1 });
      this.racer = undefined;
    }
    if (this.byOrder.has(payment.orderId)) throw new PaymentAlreadyRecorded(payment.orderId);
    this.byOrder.set(payment.orderId, { payment, version: 1 });
    this.announced.push(`approved:${payment.orderId}`);
  }
  async update(payment: Payment, version: string, announcement?: 'PaymentRefunded') {
    const entry = this.byOrder.get(payment.orderId);
    if (!entry || String(entry.version) !== version) throw new ConcurrentWriteError(payment.orderId);
    this.byOrder.set(payment.orderId, { payment, version: entry.version + 1 });
    if (announcement) this.announced.push(`refunded:${payment.orderId}`);
  }
  async listByCustomer(customerId: string) {
    return { payments: [...this.byOrder.values()].map((e) => e.payment).filter((p) => p.customerId === customerId) };
  }
}

function setup() {
  let sequence = 0;
  const payments = new InMemoryPayments();
  const clock = { now: () => new Date('2026-05-01T00:00:00Z') };
  const approve = new ApprovePayment({ payments, clock, ids: { next: () => `pay-${++sequence}` } });
  // The kitchen's word, as store would give it; a test sets what the kitchen says.
  const kitchen = { says: 'Cancelled' as KitchenWord, asked: 0, statusOf: async () => (kitchen.asked++, kitchen.says) };
  return { payments, announced: payments.announced, approve, kitchen, refund: new RefundPayment({ payments, clock, kitchen }) };
}

const request = { orderId: 'order-1', customerId: 'kim', storeId: 'gangnam', amountCents: 11_800 };

describe('approving a payment', () => {
  it('records an approved payment for the order and announces it', async () => {
    const { payments, announced, approve } = setup();
    const { payment, created } = await approve.execute(request);
    expect(created).toBe(true);
    expect(payment).toMatchObject({ paymentId: 'pay-1', status: 'Approved', amountCents: 11_800, storeId: 'gangnam' });
    expect(await payments.findByOrder('order-1')).toEqual(payment);
    expect(announced).toEqual(['approved:order-1']);
  });

  it('answers a retry with the first payment and never charges or announces twice', async () => {
    const { payments, announced, approve } = setup();
    const first = await approve.execute(request);
    const retry = await approve.execute(request);
    expect(retry).toEqual({ payment: first.payment, created: false });
    expect(payments.byOrder.size).toBe(1);
    expect(announced).toEqual(['approved:order-1']);
  });

  it('returns the winner when a concurrent retry inserted first', async () => {
    const { payments, approve } = setup();
    payments.racer = { paymentId: 'pay-racer', ...request, status: 'Approved', approvedAt: '2026-05-01T00:00:00.000Z' };
    const { payment, created } = await approve.execute(request);
    expect(created).toBe(false);
    expect(payment.paymentId).toBe('pay-racer');
  });

  it('refuses a different amount for an order already charged', async () => {
    const { approve } = setup();
    await approve.execute(request);
    await expect(approve.execute({ ...request, amountCents: 1 })).rejects.toBeInstanceOf(ConflictingCharge);
  });

  it('declines a charge over the per-order limit and records nothing', async () => {
    const { payments, approve } = setup();
    await expect(approve.execute({ ...request, amountCents: MAX_CHARGE_CENTS + 1 })).rejects.toBeInstanceOf(ChargeDeclined);
    expect(payments.byOrder.size).toBe(0);
  });
});

describe('refunding a payment', () => {
  it('refunds exactly once however often it is asked, and announces it once', async () => {
    const { payments, announced, approve, refund } = setup();
    await approve.execute(request);
    const first = await refund.execute('order-1', cancelled);
    const again = await refund.execute('order-1', cancelled);
    expect(first).toMatchObject({ status: 'Refunded', refundedAt: '2026-05-01T00:00:00.000Z' });
    expect(again).toEqual(first);
    expect((await payments.load('order-1'))!.version).toBe('2');
    expect(announced).toEqual(['approved:order-1', 'refunded:order-1']);
  });
});

const cancelled = { kind: 'order-cancelled' } as const;
const compensation = (requestedBy: string | undefined) => ({ kind: 'never-stored', requestedBy }) as const;

describe('money moves only on authoritative facts', () => {
  it('believes an OrderCancelled only when the kitchen says it cancelled the order', async () => {
    for (const says of ['unknown', 'Queued', 'Cooking', 'InDelivery', 'Delivered'] as const) {
      const { payments, announced, approve, kitchen, refund } = setup();
      await approve.execute(request);
      kitchen.says = says;
      await expect(refund.execute('order-1', cancelled), says).rejects.toBeInstanceOf(RefundRefused);
      expect((await payments.load('order-1'))!.payment.status, says).toBe('Approved');
      expect(announced, says).toEqual(['approved:order-1']);
    }
  });

  it('never refunds an order the kitchen cooked, sent out or delivered, whoever asks', async () => {
    for (const says of ['Cooking', 'InDelivery', 'Delivered'] as const) {
      const { approve, kitchen, refund } = setup();
      await approve.execute(request);
      kitchen.says = says;
      await expect(refund.execute('order-1', compensation('order')), says).rejects.toThrow(/kitchen reports/);
    }
  });

  it('takes a compensation (a charge whose order was never stored) from order only, and only for an order the kitchen never had', async () => {
    for (const caller of ['gateway', 'store', 'pay', undefined]) {
      const { approve, kitchen, refund } = setup();
      await approve.execute(request);
      kitchen.says = 'unknown';
      await expect(refund.execute('order-1', compensation(caller)), String(caller)).rejects.toThrow(/only order may ask/);
    }
    const queued = setup();
    await queued.approve.execute(request);
    queued.kitchen.says = 'Queued';
    await expect(queued.refund.execute('order-1', compensation('order'))).rejects.toBeInstanceOf(RefundRefused);
    const orphan = setup();
    await orphan.approve.execute(request);
    orphan.kitchen.says = 'unknown';
    expect(await orphan.refund.execute('order-1', compensation('order'))).toMatchObject({ status: 'Refunded' });
    expect(orphan.announced).toEqual(['approved:order-1', 'refunded:order-1']);
  });

  it('answers a repeat of a refund that happened without asking the kitchen again', async () => {
    const { approve, kitchen, refund } = setup();
    await approve.execute(request);
    await refund.execute('order-1', cancelled);
    kitchen.says = 'Delivered';
    expect(await refund.execute('order-1', cancelled)).toMatchObject({ status: 'Refunded' });
    expect(kitchen.asked).toBe(1);
  });
});
