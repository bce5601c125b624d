import { OrderEvent, Topic } from '@burger/contracts';
import { subscription } from '@burger/service-kit';
import type { LearnTastes } from '../../application/learn-tastes.js';

/**
 * marketing's own pub/sub component (same Kafka, its own consumer group), so
 * joining or leaving touches no shared component file.
 */
export const MARKETING_PUBSUB = 'marketing-pubsub';

export function orderEventsSubscription(learnTastes: LearnTastes) {
  return subscription({
    pubsubName: MARKETING_PUBSUB,
    topic: Topic.orderEvents,
    schema: OrderEvent,
    handle: async (event) => {
      if (event.type === 'OrderPlaced') await learnTastes.orderPlaced(event);
      return 'SUCCESS';
    },
  });
}
