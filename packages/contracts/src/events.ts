import { z } from 'zod';
import { OrderLine } from './orders.js';

/**
 * Envelope fields every event carries. `orderId` is the correlation key (and the
 * Kafka partition key, so one order's events stay in order); `eventId` makes every
 * consumer idempotent; `version` lets a schema evolve without breaking consumers.
 */
const envelope = {
  eventId: z.uuid(),
  orderId: z.uuid(),
  occurredAt: z.iso.datetime(),
  version: z.literal(1),
};

export const OrderPlaced = z.object({
  ...envelope,
  type: z.literal('OrderPlaced'),
  customerId: z.string().min(1),
  storeId: z.string().min(1),
  lines: z.array(OrderLine).min(1),
  totalCents: z.number().int().positive(),
  paymentId: z.uuid(),
});
export type OrderPlaced = z.infer<typeof OrderPlaced>;

/** Every event on the order-events topic; consumers switch on `type`. */
export const OrderEvent = z.discriminatedUnion('type', [OrderPlaced]);
export type OrderEvent = z.infer<typeof OrderEvent>;
