import { checkRefund, refund, type Payment, type RefundGround } from '../domain/payment.js';
import { versioned } from '@burger/service-kit/concurrency';
import type { Clock, Kitchen, PaymentRepository } from './ports.js';
import { PaymentNotFound } from './get-payment.js';

/**
 * Refunds an order's payment exactly once, and only on the kitchen's word (checkRefund): the
 * status change is guarded by the stored version and carries PaymentRefunded in the same write
 * (outbox), so a repeated refund (a redelivered OrderCancelled, a retried compensation) changes
 * nothing and announces nothing new. Throws RefundRefused when the facts do not allow it.
 */
export class RefundPayment {
  private readonly versions;

  constructor(private readonly deps: { payments: PaymentRepository; clock: Clock; kitchen: Kitchen }) {
    const { payments } = deps;
    this.versions = versioned({
      read: (id) => payments.load(id),
      // A refund is written only over a payment that was found.
      write: (_, payment: Payment, stored) => payments.update(payment, stored!.version, 'PaymentRefunded'),
    });
  }

  async execute(orderId: string, ground: RefundGround): Promise<Payment> {
    // Asked once, before the write loop: the kitchen's verdict on a closed ticket does not change.
    let checked = false;
    const { payment } = await this.versions.update(orderId, async (stored) => {
      if (!stored) throw new PaymentNotFound(`No payment for order ${orderId}`);
      if (stored.payment.status === 'Refunded') return { payment: stored.payment };
      if (!checked) {
        checkRefund(ground, await this.deps.kitchen.statusOf(orderId));
        checked = true;
      }
      const outcome = refund(stored.payment, this.deps.clock.now());
      return outcome.done ? { write: outcome.payment, payment: outcome.payment } : { payment: outcome.payment };
    });
    return payment;
  }
}
