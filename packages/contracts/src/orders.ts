import { z } from 'zod';

/** Largest quantity of one burger on one order line: a guard against typos and abuse, not a business quota. */
export const MAX_QUANTITY_PER_LINE = 20;

export const OrderLine = z.object({
  menuItemId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_LINE),
});
export type OrderLine = z.infer<typeof OrderLine>;

/**
 * POST /orders. Prices are never taken from the client: `.strict()` rejects a
 * sent price outright. Without `storeId` the order goes to the customer's
 * registered favourite branch.
 */
export const PlaceOrderRequest = z
  .object({
    customerId: z.string().min(1).max(64),
    storeId: z.string().min(1).max(64).optional(),
    lines: z.array(OrderLine.strict()).min(1).max(20),
  })
  .strict();
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

export const OrderStatus = z.enum(['Paid', 'Cooking', 'InDelivery', 'Delivered', 'Cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** What GET /orders/:id returns. */
export const OrderView = z.object({
  orderId: z.uuid(),
  customerId: z.string(),
  storeId: z.string(),
  lines: z.array(OrderLine),
  totalCents: z.number().int(),
  status: OrderStatus,
  /** Set while a cancellation is waiting for the store's answer. */
  cancellationRequested: z.boolean(),
  paymentId: z.uuid(),
  placedAt: z.iso.datetime(),
});
export type OrderView = z.infer<typeof OrderView>;

/** POST /orders/:id/cancel */
export const CancelOrderRequest = z.object({ customerId: z.string().min(1).max(64) }).strict();
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>;

/**
 * `Idempotency-Key` on POST /orders and POST /orders/{id}/cancel (gRPC: `request_id`): a retry
 * with the same key and the same body gets the first answer again instead of a second order
 * or charge. Scoped to the account; kept at least 24 h. One key per attempt (a UUID will do).
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII characters without spaces (a UUID will do)');
export const IdempotencyHeaders = z.object({ [IDEMPOTENCY_KEY_HEADER]: IdempotencyKey.optional() });
