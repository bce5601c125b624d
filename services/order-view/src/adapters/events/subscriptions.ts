import { Component, OrderEvent, PaymentEvent, StoreEvent, Topic, type LifecycleEvent } from '@burger/contracts';
import { subscription, type DeliveryOutcome } from '@burger/service-kit';
import type { ProjectEvent } from '../../application/project-event.js';

/** Inbound adapter: the three order-lifecycle topics feed the projection. */
export function viewSubscriptions(projectEvent: ProjectEvent) {
  const handle = async (event: LifecycleEvent): Promise<DeliveryOutcome> => {
    await projectEvent.execute(event);
    return 'SUCCESS';
  };
  return [
    subscription({ pubsubName: Component.pubsub, topic: Topic.orderEvents, schema: OrderEvent, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.storeEvents, schema: StoreEvent, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.paymentEvents, schema: PaymentEvent, handle }),
  ];
}
