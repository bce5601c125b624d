import { Component, StoreEvent, Topic } from '@burger/contracts';
import { businessCounter, subscription, type Logger } from '@burger/service-kit';
import type { RefundPayment } from '../../application/refund-payment.js';

const refunds = businessCounter('burger_payment_refunds_total', 'Refunds announced after accepted cancellations (repeats included)');

/** Inbound adapter: the kitchen accepted a cancellation, so the money goes back. Other kitchen events are not pay's business. */
export function storeEventsSubscription(refundPayment: RefundPayment, logger: Logger) {
  return subscription({
    pubsubName: Component.pubsub,
    topic: Topic.storeEvents,
    route: '/events/store-events',
    schema: StoreEvent,
    handle: async (event) => {
      if (event.type !== 'OrderCancelled') return 'SUCCESS';
      const payment = await refundPayment.execute(event.orderId);
      refunds.inc();
      logger.info({ orderId: event.orderId, eventId: event.eventId, paymentId: payment.paymentId }, 'payment refunded');
      return 'SUCCESS';
    },
  });
}
