import { Component, OrderEvent, Topic } from '@burger/contracts';
import { businessCounter, subscription, type Logger } from '@burger/service-kit';
import type { AcceptPaidOrder } from '../../application/accept-paid-order.js';
import { OrderNotYetInKitchen, type DecideCancellation } from '../../application/decide-cancellation.js';

const cancellationsDecided = businessCounter('burger_cancellations_decided_total', 'Cancellation requests decided by the kitchen', [
  'verdict',
] as const);

/** Inbound adapter: paid orders join the kitchen; cancellation requests get the kitchen's verdict. */
export function orderEventsSubscription(deps: {
  acceptPaidOrder: AcceptPaidOrder;
  decideCancellation: DecideCancellation;
  logger: Logger;
  /** Demo mode: called for each newly queued order. */
  onQueued?: (storeId: string, orderId: string) => void;
}) {
  const { acceptPaidOrder, decideCancellation, logger, onQueued } = deps;
  return subscription({
    pubsubName: Component.pubsub,
    topic: Topic.orderEvents,
    schema: OrderEvent,
    handle: async (event) => {
      const context = { orderId: event.orderId, eventId: event.eventId, storeId: event.storeId };
      if (event.type === 'OrderPlaced') {
        const { added } = await acceptPaidOrder.execute(event);
        logger.info(context, added ? 'order queued' : 'order already known');
        if (added) onQueued?.(event.storeId, event.orderId);
        return 'SUCCESS';
      }
      try {
        const verdict = await decideCancellation.execute(event);
        cancellationsDecided.inc({ verdict });
        logger.info({ ...context, verdict }, 'cancellation decided');
        return 'SUCCESS';
      } catch (error) {
        // Events of one order share a partition, so this only happens if OrderPlaced was lost: retry, loudly.
        if (error instanceof OrderNotYetInKitchen) logger.warn(context, 'cancellation for an order the kitchen has not seen; retrying');
        return 'RETRY';
      }
    },
  });
}
