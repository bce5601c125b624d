import type { StoreEvent } from '@burger/contracts';
import { cancellationRejected, followKitchen, type OrderSnapshot, type OrderStatus } from '../domain/order.js';
import { OrderChangedMeanwhile, type OrderRepository } from './ports.js';

const MAX_ATTEMPTS = 8;

const STATUS_AFTER: Partial<Record<StoreEvent['type'], OrderStatus>> = {
  CookingStarted: 'Cooking',
  DeliveryStarted: 'InDelivery',
  OrderDelivered: 'Delivered',
  OrderCancelled: 'Cancelled',
};

/** The kitchen's events move the order along; the order keeps its own status for its own API. */
export class FollowKitchen {
  constructor(private readonly orders: OrderRepository) {}

  async execute(event: StoreEvent): Promise<{ changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.orders.load(event.orderId);
      if (!stored) return { changed: false };
      const next = this.apply(stored.order, event);
      if (next === stored.order) return { changed: false };
      try {
        await this.orders.update(next, stored.version);
        return { changed: true };
      } catch (error) {
        if (!(error instanceof OrderChangedMeanwhile) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private apply(order: OrderSnapshot, event: StoreEvent): OrderSnapshot {
    if (event.type === 'CancellationRejected') return order.cancellationRequested ? cancellationRejected(order) : order;
    const to = STATUS_AFTER[event.type];
    return to ? followKitchen(order, to).order : order;
  }
}
