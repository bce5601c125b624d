import type { StoreEvent } from '@burger/contracts';
import { cancellationRejected, moveWithKitchen, type OrderSnapshot, type OrderStatus } from '../domain/order.js';
import { retryOnConflict } from '@burger/service-kit/concurrency';
import { OrderChangedMeanwhile, type OrderRepository } from './ports.js';

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
    return retryOnConflict(async () => {
      const stored = await this.orders.load(event.orderId);
      if (!stored) return { changed: false };
      const next = this.apply(stored.order, event);
      if (next === stored.order) return { changed: false };
      await this.orders.update(next, stored.version);
      return { changed: true };
    }, (error) => error instanceof OrderChangedMeanwhile);
  }

  private apply(order: OrderSnapshot, event: StoreEvent): OrderSnapshot {
    if (event.type === 'CancellationRejected') return order.cancellationRequested ? cancellationRejected(order) : order;
    const to = STATUS_AFTER[event.type];
    return to ? moveWithKitchen(order, to).order : order;
  }
}
