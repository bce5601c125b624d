import { Component, StoreEvent, Topic } from '@burger/contracts';
import { businessCounter, subscription, type Logger } from '@burger/service-kit';
import type { RefundPayment } from '../../application/refund-payment.js';
import { RefundRefused } from '../../domain/payment.js';

const refunds = businessCounter('burger_payment_refunds_total', 'Refunds announced after accepted cancellations (repeats included)');
const refused = businessCounter(
  'burger_payment_refunds_refused_total',
  'OrderCancelled events the kitchen did not confirm (no money moved)',
);

/**
 * Inbound adapter: the kitchen accepted a cancellation, so the money goes back, once the kitchen
 * confirms it (RefundPayment asks). An event it does not confirm is forged or mistaken: dropped to the
 * dead-letter topic, where someone can look at it. Other kitchen events are not pay's business.
 */
export function storeEventsSubscription(refundPayment: RefundPayment, logger: Logger) {
  return subscription({
    pubsubName: Component.pubsub,
    topic: Topic.storeEvents,
    schema: StoreEvent,
    handle: async (event) => {
      if (event.type !== 'OrderCancelled') return 'SUCCESS';
      const payment = await refundPayment.execute(event.orderId, { kind: 'order-cancelled' }).catch((error: unknown) => {
        if (!(error instanceof RefundRefused)) throw error;
        refused.inc();
        logger.warn(
          { orderId: event.orderId, eventId: event.eventId, reason: error.message },
          'OrderCancelled not confirmed by the kitchen: no refund',
        );
        return undefined;
      });
      if (!payment) return 'DROP';
      refunds.inc();
      logger.info({ orderId: event.orderId, eventId: event.eventId, paymentId: payment.paymentId }, 'payment refunded');
      return 'SUCCESS';
    },
  });
}
