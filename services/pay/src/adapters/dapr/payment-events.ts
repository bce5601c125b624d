import type { PaymentEvent } from '@burger/contracts';
import { stampEvent } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';

type Of<T extends PaymentEvent['type']> = Extract<PaymentEvent, { type: T }>;

/** The events on payment-events (keyed by orderId), ids derived from (type, order): a repeat is the same event. */
export function paymentApproved(payment: Payment): Of<'PaymentApproved'> {
  return stampEvent<Of<'PaymentApproved'>>(
    { ...fields(payment), type: 'PaymentApproved' },
    {
      now: new Date(payment.approvedAt),
      onceKey: `PaymentApproved:${payment.orderId}`,
    },
  );
}

export function paymentRefunded(payment: Payment): Of<'PaymentRefunded'> {
  return stampEvent<Of<'PaymentRefunded'>>(
    { ...fields(payment), type: 'PaymentRefunded' },
    {
      now: payment.refundedAt ? new Date(payment.refundedAt) : new Date(),
      onceKey: `PaymentRefunded:${payment.orderId}`,
    },
  );
}

function fields(payment: Payment) {
  return {
    orderId: payment.orderId,
    customerId: payment.customerId,
    storeId: payment.storeId,
    paymentId: payment.paymentId,
    amountCents: payment.amountCents,
  };
}
