import { type AppId, Topic } from './apps.js';
import { deadLetterTopicOf, publishableTopics, SubscribedTopics } from './sidecar-access.js';

export type TopicName = (typeof Topic)[keyof typeof Topic];

/**
 * Who may touch the broker is what each app may do through its sidecar (sidecar-access.ts: the
 * topics it owns, PublisherOf, and the ones it subscribes to, SubscribedTopics): the launcher (and
 * scripts/k8s-secrets.sh's job on a cluster) turns the same table into Kafka ACLs and Redis ACL users,
 * so the broker refuses what the sidecar's topic scopes already refuse, even to a client with no sidecar.
 * An app that joins later (e.g. a new team) declares its own reads in `<appDir>/broker-access.json`
 * instead, so joining touches no shared file.
 */
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
  const reads = [...new Set([...(SubscribedTopics[appId as AppId] ?? []), ...extraReads])];
  return { appId, writes: publishableTopics(appId, reads), reads };
}

/** Every topic the system uses, dead-letter topics included: what the broker is given before any app starts. */
export const allTopics = (): string[] => (Object.values(Topic) as string[]).flatMap((topic) => [topic, deadLetterTopicOf(topic)]);
