import type { PaymentEvent } from '@burger/contracts';
import { publishEvent, stampEvent } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';
import type { PaymentEvents } from '../../application/ports.js';

type Of<T extends PaymentEvent['type']> = Extract<PaymentEvent, { type: T }>;

/** Publishes on payment-events, keyed by orderId; ids derived from (type, order), so a repeat is the same event. */
export class DaprPaymentEvents implements PaymentEvents {
  async approved(payment: Payment): Promise<void> {
    await publishEvent(stampEvent<Of<'PaymentApproved'>>({ ...fields(payment), type: 'PaymentApproved' }, {
      now: new Date(payment.approvedAt),
      onceKey: `PaymentApproved:${payment.orderId}`,
    }));
  }

  async refunded(payment: Payment): Promise<void> {
    await publishEvent(stampEvent<Of<'PaymentRefunded'>>({ ...fields(payment), type: 'PaymentRefunded' }, {
      now: payment.refundedAt ? new Date(payment.refundedAt) : new Date(),
      onceKey: `PaymentRefunded:${payment.orderId}`,
    }));
  }
}

function fields(payment: Payment) {
  return { orderId: payment.orderId, customerId: payment.customerId, storeId: payment.storeId, paymentId: payment.paymentId, amountCents: payment.amountCents };
}
