import { describe, expect, it } from 'vitest';
import { ChargeDeclined, ConflictingCharge, MAX_CHARGE_CENTS, type Payment } from '../src/domain/payment.js';
import { ApprovePayment } from '../src/application/approve-payment.js';
import { RefundPayment } from '../src/application/refund-payment.js';
import { PaymentAlreadyRecorded, PaymentChangedMeanwhile, type PaymentEvents, type PaymentRepository } from '../src/application/ports.js';

class InMemoryPayments implements PaymentRepository {
  readonly byOrder = new Map<string, { payment: Payment; version: number }>();
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
  }
  async update(payment: Payment, version: string) {
    const entry = this.byOrder.get(payment.orderId);
    if (!entry || String(entry.version) !== version) throw new PaymentChangedMeanwhile(payment.orderId);
    this.byOrder.set(payment.orderId, { payment, version: entry.version + 1 });
  }
  async listByCustomer(customerId: string) {
    return [...this.byOrder.values()].map((e) => e.payment).filter((p) => p.customerId === customerId);
  }
}

function setup() {
  let sequence = 0;
  const payments = new InMemoryPayments();
  const announced: string[] = [];
  const events: PaymentEvents = {
    approved: async (p) => void announced.push(`approved:${p.orderId}`),
    refunded: async (p) => void announced.push(`refunded:${p.orderId}`),
  };
  const clock = { now: () => new Date('2026-05-01T00:00:00Z') };
  const approve = new ApprovePayment({ payments, events, clock, ids: { next: () => `pay-${++sequence}` } });
  return { payments, announced, approve, refund: new RefundPayment({ payments, events, clock }) };
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

  it('answers a retry with the first payment and never charges twice', async () => {
    const { payments, approve } = setup();
    const first = await approve.execute(request);
    const retry = await approve.execute(request);
    expect(retry).toEqual({ payment: first.payment, created: false });
    expect(payments.byOrder.size).toBe(1);
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

  it('keeps the charge when the announcement fails', async () => {
    const { payments } = setup();
    const failures: unknown[] = [];
    const approve = new ApprovePayment({
      payments,
      events: { approved: async () => Promise.reject(new Error('broker down')), refunded: async () => {} },
      clock: { now: () => new Date() },
      ids: { next: () => 'pay-x' },
      onAnnounceFailed: (error) => failures.push(error),
    });
    expect((await approve.execute(request)).created).toBe(true);
    expect(failures).toHaveLength(1);
  });
});

describe('refunding a payment', () => {
  it('refunds exactly once however often it is asked, announcing each time', async () => {
    const { payments, announced, approve, refund } = setup();
    await approve.execute(request);
    const first = await refund.execute('order-1');
    const again = await refund.execute('order-1');
    expect(first).toMatchObject({ status: 'Refunded', refundedAt: '2026-05-01T00:00:00.000Z' });
    expect(again).toEqual(first);
    expect((await payments.load('order-1'))!.version).toBe('2');
    expect(announced).toEqual(['approved:order-1', 'refunded:order-1', 'refunded:order-1']);
  });
});
