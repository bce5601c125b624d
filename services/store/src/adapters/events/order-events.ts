import { Component, OrderEvent, Topic } from '@burger/contracts';
import { subscription, type Logger } from '@burger/service-kit';
import type { AcceptPaidOrder } from '../../application/accept-paid-order.js';

/** Inbound adapter: order events from the broker drive the kitchen's queue. */
export function orderEventsSubscription(acceptPaidOrder: AcceptPaidOrder, logger: Logger) {
  return subscription({
    pubsubName: Component.pubsub,
    topic: Topic.orderEvents,
    route: '/events/order-events',
    schema: OrderEvent,
    handle: async (event) => {
      switch (event.type) {
        case 'OrderPlaced': {
          const { added } = await acceptPaidOrder.execute(event);
          logger.info({ orderId: event.orderId, eventId: event.eventId, storeId: event.storeId, added }, added ? 'order queued' : 'order already queued');
          return 'SUCCESS';
        }
      }
    },
  });
}
