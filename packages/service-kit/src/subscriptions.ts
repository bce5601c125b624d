import { deadLetterTopicOf } from '@burger/contracts';
import type { Hono } from 'hono';
import type { ZodType } from 'zod';
import type { Logger } from './logger.js';
import { eventsHandled } from './metrics.js';

/** What a subscriber tells Dapr about one delivery. RETRY redelivers (per resiliency), DROP gives up (dead letter). */
export type DeliveryOutcome = 'SUCCESS' | 'RETRY' | 'DROP';

// One naming rule, in the contracts: the broker's ACLs grant exactly these dead-letter topics.
export { deadLetterTopicOf };

/** Where the sidecar delivers a topic's events: `/events/<topic>`, derived, so no topic name is spelt twice. */
export const eventRouteOf = (topic: string) => `/events/${topic}`;

/** Declare with `subscription<T>(…)` so a list can mix event types while each handler stays typed. */
export function subscription<T>(definition: Subscription<T>): Subscription<never> {
  return definition as unknown as Subscription<never>;
}

export interface Subscription<T> {
  pubsubName: string;
  topic: string;
  schema: ZodType<T>;
  /** Where deliveries that are dropped or exhaust their retries go; defaults to `<topic>-dead-letter`. */
  deadLetterTopic?: string;
  handle: (event: T) => Promise<DeliveryOutcome>;
}

/**
 * Declares subscriptions programmatically (GET /dapr/subscribe, read by the
 * sidecar at start) and mounts one POST route per subscription that unwraps
 * the CloudEvent, validates `data` against the contract and maps the outcome.
 */
export function mountSubscriptions(app: Hono, logger: Logger, subscriptions: Array<Subscription<never>>): void {
  app.get('/dapr/subscribe', (c) =>
    c.json(
      subscriptions.map((s) => ({
        pubsubname: s.pubsubName,
        topic: s.topic,
        route: eventRouteOf(s.topic),
        // A poison message goes aside (after bounded retries, or at once when it breaks the contract) instead of blocking its partition.
        deadLetterTopic: s.deadLetterTopic ?? deadLetterTopicOf(s.topic),
      })),
    ),
  );
  for (const subscription of subscriptions) {
    app.post(eventRouteOf(subscription.topic), async (c) => {
      const envelope = (await c.req.json().catch(() => undefined)) as { id?: string; data?: unknown } | undefined;
      const parsed = subscription.schema.safeParse(envelope?.data);
      if (!parsed.success) {
        // A message that breaks the contract will never succeed: retrying would block the partition.
        logger.error(
          { topic: subscription.topic, cloudEventId: envelope?.id, issues: parsed.error.issues },
          'dropping event that breaks the contract',
        );
        eventsHandled.inc({ topic: subscription.topic, outcome: 'DROP' });
        return c.json({ status: 'DROP' satisfies DeliveryOutcome });
      }
      let outcome: DeliveryOutcome;
      try {
        outcome = await subscription.handle(parsed.data as never);
      } catch (error) {
        logger.warn({ err: error, topic: subscription.topic, cloudEventId: envelope?.id }, 'event handling failed; asking for redelivery');
        outcome = 'RETRY';
      }
      eventsHandled.inc({ topic: subscription.topic, outcome });
      return c.json({ status: outcome });
    });
  }
}
