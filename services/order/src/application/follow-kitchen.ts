import type { StoreEvent } from '@burger/contracts';
import { cancellationRejected, moveWithKitchen, type OrderSnapshot, type OrderStatus } from '../domain/order.js';
import type { OrderRepository } from './ports.js';
import { versionedOrders } from './versioned-orders.js';

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
    // OrderQueued moves nothing (the order is Paid before and after): not even a read for it, one per order.
    if (event.type !== 'CancellationRejected' && !STATUS_AFTER[event.type]) return { changed: false };
    const { changed } = await versionedOrders(this.orders).update(event.orderId, (stored) => {
      const next = stored && this.apply(stored.order, event);
      return next && next !== stored.order ? { write: { order: next }, changed: true } : { changed: false };
    });
    return { changed };
  }

  private apply(order: OrderSnapshot, event: StoreEvent): OrderSnapshot {
    if (event.type === 'CancellationRejected') return order.cancellationRequested ? cancellationRejected(order) : order;
    const to = STATUS_AFTER[event.type];
    return to ? moveWithKitchen(order, to).order : order;
  }
}
