import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { AnyEvent, Component, TopicOf } from '@burger/contracts';
import { sidecarRequest } from './sidecar.js';

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
 * Through the sidecar's publish API with our own call rather than the SDK: the
 * request carries the trace of the request being handled (sidecarHeaders), which
 * the sidecar writes into the CloudEvent, so subscribers continue the same trace.
 */
export async function publishEvent(event: AnyEvent, options: { timeoutMs?: number; validated?: boolean } = {}): Promise<void> {
  // The producer side of the contract: an event that breaks its schema never leaves the service
  // (the outbox checks it before storing it, and says so, so it is not parsed twice).
  if (!options.validated) AnyEvent.parse(event);
  const partitionKey = 'orderId' in event ? event.orderId : event.customerId;
  const query = partitionKey ? `?metadata.partitionKey=${encodeURIComponent(partitionKey)}` : '';
  const response = await sidecarRequest('POST', `/v1.0/publish/${Component.pubsub}/${TopicOf[event.type]}${query}`, {
    body: JSON.stringify(event),
    // By default longer than the sidecar's own budget for the broker (resiliency: 5 s timeout, 3 retries);
    // a sweep catching up after an outage passes a short one instead.
    timeoutMs: options.timeoutMs ?? 25_000,
  });
  if (response.status >= 300)
    throw new Error(`publishing ${event.type} to ${TopicOf[event.type]} failed: ${response.status} ${response.text.slice(0, 300)}`);
}
