import { z } from 'zod';
import { Topic } from './apps.js';
import { OrderLine } from './orders.js';

/**
 * Fields every event carries. `eventId` makes every consumer idempotent;
 * `occurredAt` orders a timeline; `version` lets a schema evolve.
 */
const base = {
  eventId: z.uuid(),
  occurredAt: z.iso.datetime(),
  version: z.literal(1),
};

/**
 * Order-lifecycle events also carry `orderId`, the correlation key (and the
 * Kafka partition key), plus the customer and branch, so each consumer can act
 * on an event alone without reading another service's data.
 */
const lifecycle = {
  ...base,
  orderId: z.uuid(),
  customerId: z.string().min(1),
  storeId: z.string().min(1),
};

// ---- order-events (published by order) ----

export const OrderPlaced = z.object({
  ...lifecycle,
  type: z.literal('OrderPlaced'),
  lines: z.array(OrderLine).min(1),
  totalCents: z.number().int().positive(),
  paymentId: z.uuid(),
});
export type OrderPlaced = z.infer<typeof OrderPlaced>;

/** The customer asked to cancel; the store decides (it alone knows whether cooking started). */
export const OrderCancellationRequested = z.object({
  ...lifecycle,
  type: z.literal('OrderCancellationRequested'),
});
export type OrderCancellationRequested = z.infer<typeof OrderCancellationRequested>;

export const OrderEvent = z.discriminatedUnion('type', [OrderPlaced, OrderCancellationRequested]);
export type OrderEvent = z.infer<typeof OrderEvent>;

// ---- store-events (published by store, the kitchen) ----

export const OrderQueued = z.object({ ...lifecycle, type: z.literal('OrderQueued') });
export const CookingStarted = z.object({ ...lifecycle, type: z.literal('CookingStarted') });
export const DeliveryStarted = z.object({ ...lifecycle, type: z.literal('DeliveryStarted') });
export const OrderDelivered = z.object({ ...lifecycle, type: z.literal('OrderDelivered') });
/** Accepted cancellation: the order left the queue before cooking; pay refunds on this event. */
export const OrderCancelled = z.object({ ...lifecycle, type: z.literal('OrderCancelled'), paymentId: z.uuid() });
export const CancellationRejected = z.object({ ...lifecycle, type: z.literal('CancellationRejected'), reason: z.string().min(1) });

/**
 * What the kitchen announces: one list, for StoreEvent and LifecycleEvent alike. OrderQueued travels on
 * its own topic now (TopicOf), yet readers of store-events keep accepting it: one published before that
 * change may still be on the topic during an upgrade, and their contract did not change.
 */
const storeEvents = [OrderQueued, CookingStarted, DeliveryStarted, OrderDelivered, OrderCancelled, CancellationRejected] as const;
export const StoreEvent = z.discriminatedUnion('type', storeEvents);
export type StoreEvent = z.infer<typeof StoreEvent>;

// ---- payment-events (published by pay) ----

export const PaymentApproved = z.object({
  ...lifecycle,
  type: z.literal('PaymentApproved'),
  paymentId: z.uuid(),
  amountCents: z.number().int().positive(),
});
export const PaymentRefunded = z.object({
  ...lifecycle,
  type: z.literal('PaymentRefunded'),
  paymentId: z.uuid(),
  amountCents: z.number().int().positive(),
});

/** What pay announces. PaymentApproved travels on its own topic (TopicOf); readers of payment-events still accept it, as above. */
export const PaymentEvent = z.discriminatedUnion('type', [PaymentApproved, PaymentRefunded]);
export type PaymentEvent = z.infer<typeof PaymentEvent>;

// ---- customer-events (published by select-store) ----

export const FavoriteStoreSelected = z.object({
  ...base,
  type: z.literal('FavoriteStoreSelected'),
  customerId: z.string().min(1),
  storeId: z.string().min(1),
});
export type FavoriteStoreSelected = z.infer<typeof FavoriteStoreSelected>;

export const CustomerEvent = z.discriminatedUnion('type', [FavoriteStoreSelected]);
export type CustomerEvent = z.infer<typeof CustomerEvent>;

/** Every order-lifecycle event, whatever topic it travels on: what order-view and notification consume. */
export const LifecycleEvent = z.discriminatedUnion('type', [
  OrderPlaced,
  OrderCancellationRequested,
  ...storeEvents,
  PaymentApproved,
  PaymentRefunded,
]);
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;
export type LifecycleEventType = LifecycleEvent['type'];

/** Which topic carries which event type: the single map publishers and subscribers share (names from `Topic`). */
export const TopicOf = {
  OrderPlaced: Topic.orderEvents,
  OrderCancellationRequested: Topic.orderEvents,
  OrderQueued: Topic.storeQueueEvents,
  CookingStarted: Topic.storeEvents,
  DeliveryStarted: Topic.storeEvents,
  OrderDelivered: Topic.storeEvents,
  OrderCancelled: Topic.storeEvents,
  CancellationRejected: Topic.storeEvents,
  PaymentApproved: Topic.paymentApprovalEvents,
  PaymentRefunded: Topic.paymentEvents,
  FavoriteStoreSelected: Topic.customerEvents,
} as const satisfies Record<LifecycleEventType | 'FavoriteStoreSelected', (typeof Topic)[keyof typeof Topic]>;

/** Every event of the published language; publishers validate against it before anything leaves a service. */
export const AnyEvent = z.discriminatedUnion('type', [...LifecycleEvent.options, FavoriteStoreSelected]);
export type AnyEvent = z.infer<typeof AnyEvent>;
