import { requestCancellation, type OrderSnapshot } from '../domain/order.js';
import { OrderNotFound } from './errors.js';
import { OrderChangedMeanwhile, type OrderEvents, type OrderRepository } from './ports.js';

const MAX_ATTEMPTS = 5;

/**
 * The customer asks to cancel. Accepted here means "asked": the store answers
 * with OrderCancelled (then pay refunds) or CancellationRejected.
 */
export class CancelOrder {
  constructor(private readonly deps: { orders: OrderRepository; events: OrderEvents }) {}

  async execute(command: { orderId: string; customerId: string }): Promise<OrderSnapshot> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.deps.orders.load(command.orderId);
      // Another customer's order is reported as unknown: its existence is not theirs to learn.
      if (!stored || stored.order.customerId !== command.customerId) throw new OrderNotFound(command.orderId);
      const { order, newlyRequested } = requestCancellation(stored.order);
      try {
        if (newlyRequested) await this.deps.orders.update(order, stored.version);
      } catch (error) {
        if (error instanceof OrderChangedMeanwhile && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      // Announced again on a repeated request too: a first announcement may have failed after the save.
      await this.deps.events.cancellationRequested(order);
      return order;
    }
  }
}
