import {
  Component,
  OrderEvent,
  OrderQueued,
  PaymentApproved,
  PaymentEvent,
  StoreEvent,
  Topic,
  type LifecycleEvent,
} from '@burger/contracts';
import { subscription, type DeliveryOutcome } from '@burger/service-kit';
import type { ProjectEvent } from '../../application/project-event.js';

/** Inbound adapter: every order-lifecycle topic feeds the projection (it is the one reader of them all). */
export function viewSubscriptions(projectEvent: ProjectEvent) {
  const handle = async (event: LifecycleEvent): Promise<DeliveryOutcome> => {
    await projectEvent.execute(event);
    return 'SUCCESS';
  };
  return [
    subscription({ pubsubName: Component.pubsub, topic: Topic.orderEvents, schema: OrderEvent, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.storeEvents, schema: StoreEvent, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.storeQueueEvents, schema: OrderQueued, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.paymentEvents, schema: PaymentEvent, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.paymentApprovalEvents, schema: PaymentApproved, handle }),
  ];
}
