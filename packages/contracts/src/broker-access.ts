import { AppId, Topic } from './apps.js';
import { PublisherOf } from './event-catalogue.js';

export type TopicName = (typeof Topic)[keyof typeof Topic];

/**
 * Who consumes each topic. With PublisherOf this is the whole of who may touch the broker: the launcher
 * (and scripts/k8s-secrets.sh's job on a cluster) turns the two into Kafka ACLs and Redis ACL users, so a
 * sidecar can write only the topics its app owns and read only what its app subscribes to.
 * An app that joins later (e.g. a new team) declares its own reads in `<appDir>/broker-access.json`
 * instead, so joining touches no shared file.
 */
export const SubscribersOf: Record<TopicName, readonly AppId[]> = {
  [Topic.orderEvents]: [AppId.store, AppId.notification, AppId.orderView],
  [Topic.storeEvents]: [AppId.order, AppId.pay, AppId.notification, AppId.orderView],
  [Topic.paymentEvents]: [AppId.notification, AppId.orderView],
  [Topic.customerEvents]: [AppId.order],
};

/** Where a subscriber's sidecar puts what it could not deliver (Dapr publishes it with the subscriber's identity). */
export const deadLetterTopicOf = (topic: string) => `${topic}-dead-letter`;

/** What one app-id may do on the broker. Its consumer group is its app-id (`consumerGroup: "{appID}"`). */
export interface BrokerGrant {
  appId: string;
  /** Topics it may publish to: its own, plus the dead-letter topics of what it reads. */
  writes: string[];
  /** Topics it may consume (and the consumer group it may join). */
  reads: string[];
}

/** The grant of one app-id: from the contracts for the core apps, `extraReads` for an app that declares its own. */
export function brokerGrantOf(appId: string, extraReads: readonly string[] = []): BrokerGrant {
  const topics = Object.values(Topic) as TopicName[];
  const owned = topics.filter((topic) => PublisherOf[topic] === appId);
  const reads = [...new Set([...topics.filter((topic) => (SubscribersOf[topic] as readonly string[]).includes(appId)), ...extraReads])];
  return { appId, writes: [...owned, ...reads.map(deadLetterTopicOf)], reads };
}

/** Every topic the system uses, dead-letter topics included: what the broker is given before any app starts. */
export const allTopics = (): string[] => (Object.values(Topic) as string[]).flatMap((topic) => [topic, deadLetterTopicOf(topic)]);
