import { requestCancellation, type OrderSnapshot } from '../domain/order.js';
import { OrderNotFound } from './errors.js';
import { retryOnConflict } from '@burger/service-kit/concurrency';
import { OrderChangedMeanwhile, type OrderRepository } from './ports.js';

/**
 * The customer asks to cancel. Accepted here means "asked": the store answers
 * with OrderCancelled (then pay refunds) or CancellationRejected.
 */
export class CancelOrder {
  constructor(private readonly deps: { orders: OrderRepository }) {}

  async execute(command: { orderId: string; customerId: string }): Promise<OrderSnapshot> {
    return retryOnConflict(async () => {
      const stored = await this.deps.orders.load(command.orderId);
      // Another customer's order is reported as unknown: its existence is not theirs to learn.
      if (!stored || stored.order.customerId !== command.customerId) throw new OrderNotFound(command.orderId);
      const { order, newlyRequested } = requestCancellation(stored.order);
      // A repeated request changes nothing: the first one's announcement is already owed (outbox).
      if (newlyRequested) await this.deps.orders.update(order, stored.version, 'OrderCancellationRequested');
      return order;
    }, (error) => error instanceof OrderChangedMeanwhile);
  }
}
