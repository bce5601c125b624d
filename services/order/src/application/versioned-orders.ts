import { versioned } from '@burger/service-kit/concurrency';
import type { OrderSnapshot } from '../domain/order.js';
import type { OrderAnnouncement, OrderRepository } from './ports.js';

/** An order as loaded for a versioned update (undefined: no such order). */
export type LoadedOrder = { order: OrderSnapshot; version: string } | undefined;

/** Read-decide-write on one order (service-kit's versioned update): `write` is the changed order and what it announces. */
export function versionedOrders(orders: OrderRepository) {
  return versioned<LoadedOrder, { order: OrderSnapshot; announcement?: OrderAnnouncement }>({
    read: (orderId) => orders.load(orderId),
    // Every decision that writes has found the order, so `stored` is there.
    write: (_, { order, announcement }, stored) => orders.update(order, stored!.version, announcement),
  });
}
