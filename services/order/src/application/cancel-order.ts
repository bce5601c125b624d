import { requestCancellation, type OrderSnapshot } from '../domain/order.js';
import { OrderNotFound } from './errors.js';
import type { OrderRepository } from './ports.js';
import { versionedOrders } from './versioned-orders.js';

/**
 * The customer asks to cancel. Accepted here means "asked": the store answers
 * with OrderCancelled (then pay refunds) or CancellationRejected.
 */
export class CancelOrder {
  constructor(private readonly deps: { orders: OrderRepository }) {}

  async execute(command: { orderId: string; customerId: string }): Promise<OrderSnapshot> {
    const { order } = await versionedOrders(this.deps.orders).update(command.orderId, (stored) => {
      // Another customer's order is reported as unknown: its existence is not theirs to learn.
      if (!stored || stored.order.customerId !== command.customerId) throw new OrderNotFound(command.orderId);
      const { order, newlyRequested } = requestCancellation(stored.order);
      // A repeated request changes nothing: the first one's announcement is already owed (outbox).
      return newlyRequested ? { write: { order, announcement: 'OrderCancellationRequested' as const }, order } : { order };
    });
    return order;
  }
}
