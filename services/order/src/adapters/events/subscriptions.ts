import { Component, CustomerEvent, StoreEvent, Topic } from '@burger/contracts';
import { subscription, type Logger } from '@burger/service-kit';
import { IllegalTransition } from '../../domain/order.js';
import type { FollowKitchen } from '../../application/follow-kitchen.js';
import type { FavoriteStores } from '../../application/ports.js';

/** Inbound adapter: the kitchen's events move orders on; favourite selections keep order's own replica fresh. */
export function orderSubscriptions(deps: { followKitchen: FollowKitchen; favorites: FavoriteStores; logger: Logger }) {
  const { followKitchen, favorites, logger } = deps;
  return [
    subscription({
      pubsubName: Component.pubsub,
      topic: Topic.storeEvents,
      schema: StoreEvent,
      handle: async (event) => {
        try {
          const { changed } = await followKitchen.execute(event);
          // Only a change is worth a line at info (an OrderQueued, one per order, changes nothing).
          logger[changed ? 'info' : 'debug'](
            { orderId: event.orderId, eventId: event.eventId, type: event.type, changed },
            'kitchen event applied',
          );
          return 'SUCCESS';
        } catch (error) {
          if (!(error instanceof IllegalTransition)) throw error;
          // The store is the authority; an event that contradicts the order is a bug to look at, not to retry forever.
          logger.error(
            { orderId: event.orderId, eventId: event.eventId, type: event.type, err: error },
            'kitchen event contradicts the order',
          );
          return 'DROP';
        }
      },
    }),
    subscription({
      pubsubName: Component.pubsub,
      topic: Topic.customerEvents,
      schema: CustomerEvent,
      handle: async (event) => {
        await favorites.remember(event.customerId, event.storeId, event.occurredAt);
        return 'SUCCESS';
      },
    }),
  ];
}
