import { z } from 'zod';
import { AppId, Topic } from './apps.js';
import { AnyEvent, TopicOf } from './events.js';

/** Who publishes on each topic (one publishing bounded context per topic). */
export const PublisherOf: Record<(typeof Topic)[keyof typeof Topic], AppId> = {
  [Topic.orderEvents]: AppId.order,
  [Topic.storeEvents]: AppId.store,
  [Topic.storeQueueEvents]: AppId.store,
  [Topic.paymentEvents]: AppId.pay,
  [Topic.paymentApprovalEvents]: AppId.pay,
  [Topic.customerEvents]: AppId.selectStore,
};

/**
 * The event catalogue as an AsyncAPI 3.0 document, generated from the same zod schemas
 * publishers and consumers validate with: one channel per topic, one message per event
 * type (payload = JSON Schema of the event, the CloudEvents `data`).
 */
export function eventCatalogue(): Record<string, unknown> {
  const messages = Object.fromEntries(
    AnyEvent.options.map((schema) => {
      const type = schema.shape.type.value;
      return [type, { name: type, title: type, contentType: 'application/json', payload: z.toJSONSchema(schema, { io: 'input' }) }];
    }),
  );
  const topics = [...new Set(Object.values(TopicOf))];
  const channels = Object.fromEntries(
    topics.map((topic) => [
      topic,
      {
        address: topic,
        description: `Published by ${PublisherOf[topic]}; dead letters go to ${topic}-dead-letter.`,
        messages: Object.fromEntries(
          Object.entries(TopicOf)
            .filter(([, t]) => t === topic)
            .map(([type]) => [type, { $ref: `#/components/messages/${type}` }]),
        ),
      },
    ]),
  );
  const operations = Object.fromEntries(
    topics.map((topic) => [`${PublisherOf[topic]}-publishes-${topic}`, { action: 'send', channel: { $ref: `#/channels/${topic}` } }]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Burger ordering events',
      version: '1.0.0',
      description: 'Dapr pub/sub (Kafka by default). Lifecycle events are keyed by orderId.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
