import { z } from 'zod';
import { OrderLine } from './orders.js';

/** One ticket in a branch's cooking queue, as GET /stores/:storeId/queue returns it. */
export const QueuedOrder = z.object({
  orderId: z.uuid(),
  storeId: z.string(),
  lines: z.array(OrderLine),
  queuedAt: z.iso.datetime(),
});
export type QueuedOrder = z.infer<typeof QueuedOrder>;

export const StoreQueueView = z.object({
  storeId: z.string(),
  orders: z.array(QueuedOrder),
});
export type StoreQueueView = z.infer<typeof StoreQueueView>;
