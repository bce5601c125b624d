import { describe, expect, it } from 'vitest';
import { ChargeDeclined, ConflictingCharge, MAX_CHARGE_CENTS, type Payment } from '../src/domain/payment.js';
import { ApprovePayment } from '../src/application/approve-payment.js';
import { PaymentAlreadyRecorded, type PaymentRepository } from '../src/application/ports.js';

class InMemoryPayments implements PaymentRepository {
  readonly byOrder = new Map<string, Payment>();
  /** Simulates a concurrent retry that wins the insert race. */
  racer?: Payment;
  async findByOrder(orderId: string) {
    return this.byOrder.get(orderId);
  }
  async insert(payment: Payment) {
    if (this.racer) {
      this.byOrder.set(this.racer.orderId, this.racer);
      this.racer = undefined;
    }
    if (this.byOrder.has(payment.orderId)) throw new PaymentAlreadyRecorded(payment.orderId);
    this.byOrder.set(payment.orderId, payment);
  }
}

function setup() {
  let sequence = 0;
  const payments = new InMemoryPayments();
  const approve = new ApprovePayment({ payments, clock: { now: () => new Date('2026-05-01T00:00:00Z') }, ids: { next: () => `pay-${++sequence}` } });
  return { payments, approve };
}

const request = { orderId: 'order-1', customerId: 'kim', amountCents: 11_800 };

describe('approving a payment', () => {
  it('records an approved payment for the order', async () => {
    const { payments, approve } = setup();
    const { payment, created } = await approve.execute(request);
    expect(created).toBe(true);
    expect(payment).toMatchObject({ paymentId: 'pay-1', status: 'Approved', amountCents: 11_800 });
    expect(payments.byOrder.get('order-1')).toEqual(payment);
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
});
