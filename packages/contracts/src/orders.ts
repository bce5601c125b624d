import { z } from 'zod';
import { BranchId, MenuItemId } from './catalogue.js';
import { CustomerId, SafeId } from './identifiers.js';

/** Largest quantity of one burger on one order line: a guard against typos and abuse, not a business quota. */
export const MAX_QUANTITY_PER_LINE = 20;

/** An order line as orders, views and events show it (an item once on the menu stays readable). */
export const OrderLine = z.object({
  menuItemId: SafeId,
  quantity: z.number().int().min(1).max(MAX_QUANTITY_PER_LINE),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** An order line as a customer sends it: an item on today's menu. */
export const OrderLineRequest = OrderLine.extend({ menuItemId: MenuItemId }).strict();

/**
 * POST /orders. Prices are never taken from the client: `.strict()` rejects a
 * sent price outright. Without `storeId` the order goes to the customer's
 * registered favourite branch.
 */
export const PlaceOrderRequest = z
  .object({
    customerId: CustomerId,
    /** One of our branches: an unknown one is refused here, before anything is charged. */
    storeId: BranchId.optional(),
    lines: z.array(OrderLineRequest).min(1).max(20).superRefine(atMostTwentyOfEach),
  })
  .strict();

/**
 * Lines naming the same item are one line of the order (order merges them), so the limit
 * holds for their sum: 14 + 10 of one burger is refused here, not after the charge
 * (the fuzz pass found it failing there: the merged line broke the stored order's schema).
 */
function atMostTwentyOfEach(lines: ReadonlyArray<{ menuItemId: string; quantity: number }>, context: z.RefinementCtx): void {
  const totals = new Map<string, number>();
  lines.forEach((line, index) => {
    const total = (totals.get(line.menuItemId) ?? 0) + line.quantity;
    totals.set(line.menuItemId, total);
    if (total > MAX_QUANTITY_PER_LINE && total - line.quantity <= MAX_QUANTITY_PER_LINE) {
      context.addIssue({
        code: 'custom',
        path: [index, 'quantity'],
        message: `at most ${MAX_QUANTITY_PER_LINE} of ${line.menuItemId} in one order (all its lines together)`,
      });
    }
  });
}
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

export const OrderStatus = z.enum(['Paid', 'Cooking', 'InDelivery', 'Delivered', 'Cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** What order answers about one order (GET /orders/:id, and after placing or cancelling it); order-view's read model is a different thing (its OrderSummary). */
export const OrderDetails = z.object({
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
export type OrderDetails = z.infer<typeof OrderDetails>;

/** POST /orders/:id/cancel */
export const CancelOrderRequest = z.object({ customerId: CustomerId }).strict();
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
