import { refund, type Payment } from '../domain/payment.js';
import { retryOnConflict } from '@burger/service-kit/concurrency';
import { PaymentChangedMeanwhile, type Clock, type PaymentRepository } from './ports.js';
import { PaymentNotFound } from './get-payment.js';

/**
 * Refunds an order's payment exactly once: the status change is guarded by
 * the stored version and carries PaymentRefunded in the same write (outbox),
 * so a repeated refund (a redelivered OrderCancelled, a retried compensation)
 * changes nothing and announces nothing new.
 */
export class RefundPayment {
  constructor(private readonly deps: { payments: PaymentRepository; clock: Clock }) {}

  async execute(orderId: string): Promise<Payment> {
    const payment = await retryOnConflict(async () => {
      const stored = await this.deps.payments.load(orderId);
      if (!stored) throw new PaymentNotFound(`No payment for order ${orderId}`);
      const outcome = refund(stored.payment, this.deps.clock.now());
      if (outcome.done) await this.deps.payments.update(outcome.payment, stored.version, 'PaymentRefunded');
      return outcome.payment;
    }, (error) => error instanceof PaymentChangedMeanwhile);
    return payment;
  }
}
