import { refund, type Payment } from '../domain/payment.js';
import { PaymentChangedMeanwhile, type Clock, type PaymentEvents, type PaymentRepository } from './ports.js';
import { PaymentNotFound } from './get-payment.js';

const MAX_ATTEMPTS = 5;

/**
 * Refunds an order's payment exactly once: the status change is guarded by
 * the stored version, and a repeated refund (a redelivered OrderCancelled, a
 * retried compensation) changes nothing but announces PaymentRefunded again,
 * which repairs an announcement lost after the save.
 */
export class RefundPayment {
  constructor(private readonly deps: { payments: PaymentRepository; events: PaymentEvents; clock: Clock }) {}

  async execute(orderId: string): Promise<Payment> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.deps.payments.load(orderId);
      if (!stored) throw new PaymentNotFound(`No payment for order ${orderId}`);
      const outcome = refund(stored.payment, this.deps.clock.now());
      try {
        if (outcome.done) await this.deps.payments.update(outcome.payment, stored.version);
      } catch (error) {
        if (error instanceof PaymentChangedMeanwhile && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      await this.deps.events.refunded(outcome.payment);
      return outcome.payment;
    }
  }
}
