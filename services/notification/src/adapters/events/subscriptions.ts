import { Component, OrderEvent, PaymentEvent, StoreEvent, Topic, type LifecycleEvent } from '@burger/contracts';
import { businessCounter, subscription, type DeliveryOutcome, type Logger } from '@burger/service-kit';
import type { NotifyCustomer } from '../../application/notify-customer.js';

const notificationsSent = businessCounter('burger_notifications_sent_total', 'KakaoTalk messages sent to customers', ['event'] as const);

/** Inbound adapter: every order-lifecycle topic, each event offered to NotifyCustomer. */
export function notificationSubscriptions(notifyCustomer: NotifyCustomer, logger: Logger) {
  const handle = async (event: LifecycleEvent): Promise<DeliveryOutcome> => {
    const outcome = await notifyCustomer.execute(event);
    if (outcome === 'sent') notificationsSent.inc({ event: event.type });
    if (outcome === 'sent') logger.info({ orderId: event.orderId, eventId: event.eventId, type: event.type }, 'customer notified');
    // 'busy': another delivery of this event holds the claim; come back once it is done.
    return outcome === 'busy' ? 'RETRY' : 'SUCCESS';
  };
  return [
    subscription({ pubsubName: Component.pubsub, topic: Topic.orderEvents, schema: OrderEvent, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.storeEvents, schema: StoreEvent, handle }),
    subscription({ pubsubName: Component.pubsub, topic: Topic.paymentEvents, schema: PaymentEvent, handle }),
  ];
}
