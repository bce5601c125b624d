import { randomUUID } from 'node:crypto';
import type { DaprClient } from '@dapr/dapr';
import { Component, TopicOf } from '@burger/contracts';

type EventType = keyof typeof TopicOf;
type Stamped = 'eventId' | 'occurredAt' | 'version';

/** Fills the envelope fields (unique id, time, schema version) of a new event. */
export function stampEvent<E extends { type: EventType; eventId: string; occurredAt: string; version: 1 }>(
  fields: Omit<E, Stamped>,
  now: Date = new Date(),
): E {
  return { ...fields, eventId: randomUUID(), occurredAt: now.toISOString(), version: 1 } as E;
}

/**
 * Publishes a contract event on the topic the contracts assign to its type.
 * The partition key is the orderId (order-lifecycle events) or the customerId,
 * so all events of one order (or one customer) stay in order on one partition.
 * The SDK returns `{ error }` instead of throwing: turned into a throw here.
 */
export async function publishEvent(client: DaprClient, event: { type: EventType; orderId?: string; customerId?: string }): Promise<void> {
  const partitionKey = event.orderId ?? event.customerId;
  const { error } = await client.pubsub.publish(Component.pubsub, TopicOf[event.type], event, {
    metadata: partitionKey ? { partitionKey } : {},
  });
  if (error) throw error;
}
