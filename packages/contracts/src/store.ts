import { z } from 'zod';
import { BranchId } from './catalogue.js';
import { OrderLine } from './orders.js';

export const TicketStatus = z.enum(['Queued', 'Cooking', 'InDelivery']);

/** One ticket in a branch's kitchen, as GET /stores/:storeId/queue returns it. */
export const QueuedOrder = z.object({
  orderId: z.uuid(),
  storeId: z.string(),
  customerId: z.string(),
  lines: z.array(OrderLine),
  status: TicketStatus,
  queuedAt: z.iso.datetime(),
});
export type QueuedOrder = z.infer<typeof QueuedOrder>;

export const StoreQueueView = z.object({
  storeId: z.string(),
  orders: z.array(QueuedOrder),
});
export type StoreQueueView = z.infer<typeof StoreQueueView>;

/** The branches (stores) customers can pick from. */
export const Branch = z.object({ storeId: z.string(), name: z.string(), address: z.string() });
export type Branch = z.infer<typeof Branch>;

/** POST /customers/:customerId/favorite-store on select-store. */
export const SelectFavoriteStoreRequest = z.object({ storeId: BranchId }).strict();

/**
 * The kitchen's word on one order (GET /orders/:orderId/kitchen-status on store): the authority pay
 * asks before money goes back. `unknown`: the kitchen never had the order (or forgot it 14 days after
 * it closed). Always a 200, never a 404: Dapr's resiliency counts an app's 4xx as a failure.
 */
export const KitchenStatus = z.object({
  orderId: z.uuid(),
  status: z.enum(['unknown', 'Queued', 'Cooking', 'InDelivery', 'Cancelled', 'Delivered']),
});
export type KitchenStatus = z.infer<typeof KitchenStatus>;
