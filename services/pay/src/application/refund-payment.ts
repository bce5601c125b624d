import { checkRefund, refund, type Payment, type RefundGround } from '../domain/payment.js';
import { retryOnConflict } from '@burger/service-kit/concurrency';
import { PaymentChangedMeanwhile, type Clock, type Kitchen, type PaymentRepository } from './ports.js';
import { PaymentNotFound } from './get-payment.js';

/**
 * Refunds an order's payment exactly once, and only on the kitchen's word (checkRefund): the
 * status change is guarded by the stored version and carries PaymentRefunded in the same write
 * (outbox), so a repeated refund (a redelivered OrderCancelled, a retried compensation) changes
 * nothing and announces nothing new. Throws RefundRefused when the facts do not allow it.
 */
export class RefundPayment {
  constructor(private readonly deps: { payments: PaymentRepository; clock: Clock; kitchen: Kitchen }) {}

  async execute(orderId: string, ground: RefundGround): Promise<Payment> {
    // Asked once, before the write loop: the kitchen's verdict on a closed ticket does not change.
    let checked = false;
    return retryOnConflict(async () => {
      const stored = await this.deps.payments.load(orderId);
      if (!stored) throw new PaymentNotFound(`No payment for order ${orderId}`);
      if (stored.payment.status === 'Refunded') return stored.payment;
      if (!checked) {
        checkRefund(ground, await this.deps.kitchen.statusOf(orderId));
        checked = true;
      }
      const outcome = refund(stored.payment, this.deps.clock.now());
      if (outcome.done) await this.deps.payments.update(outcome.payment, stored.version, 'PaymentRefunded');
      return outcome.payment;
    }, (error) => error instanceof PaymentChangedMeanwhile);
  }
}
