import { randomUUID } from 'node:crypto';
import type { DaprClient } from '@dapr/dapr';
import { v5 as uuidv5 } from 'uuid';
import { AnyEvent, Component, TopicOf } from '@burger/contracts';

type EventType = keyof typeof TopicOf;
type Stamped = 'eventId' | 'occurredAt' | 'version';

/** Namespace for deterministic event ids (an arbitrary, fixed UUID). */
const EVENT_ID_NAMESPACE = '6f1c3f0e-2b7a-4c55-9a0e-6d9b1f5c2e41';

/**
 * Fills the envelope fields (id, time, schema version) of a new event.
 *
 * With `onceKey`, the id is derived from it (UUID v5): an event that can happen
 * only once per order (e.g. `CookingStarted:<orderId>`) keeps the same id when a
 * retry publishes it again, so consumers, idempotent on eventId, see it once.
 * That is what lets a handler "save, then publish" and simply publish again
 * after a crash between the two.
 */
export function stampEvent<E extends { type: EventType; eventId: string; occurredAt: string; version: 1 }>(
  fields: Omit<E, Stamped>,
  options: { now?: Date; onceKey?: string } = {},
): E {
  const eventId = options.onceKey ? uuidv5(options.onceKey, EVENT_ID_NAMESPACE) : randomUUID();
  return { ...fields, eventId, occurredAt: (options.now ?? new Date()).toISOString(), version: 1 } as E;
}

/**
 * Publishes a contract event on the topic the contracts assign to its type.
 * The partition key is the orderId (order-lifecycle events) or the customerId,
 * so all events of one order (or one customer) stay in order on one partition.
 * The SDK returns `{ error }` instead of throwing: turned into a throw here.
 */
export async function publishEvent(client: DaprClient, event: AnyEvent): Promise<void> {
  // The producer side of the contract: an event that breaks its schema never leaves the service.
  AnyEvent.parse(event);
  const partitionKey = 'orderId' in event ? event.orderId : event.customerId;
  const { error } = await client.pubsub.publish(Component.pubsub, TopicOf[event.type], event, {
    metadata: partitionKey ? { partitionKey } : {},
  });
  if (error) throw error;
}
