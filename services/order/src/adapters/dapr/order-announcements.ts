import type { OrderCancellationRequested, OrderPlaced } from '@burger/contracts';
import { stampEvent } from '@burger/service-kit';
import type { OrderSnapshot } from '../../domain/order.js';
import type { OrderAnnouncement } from '../../application/ports.js';

/**
 * The contract event (topic order-events, keyed by orderId) that announces an
 * order's change. Each happens once per order, so its id is derived from the
 * order: a second publish of it is harmless to consumers, idempotent on eventId.
 */
export function announcementEvent(
  announcement: OrderAnnouncement,
  order: OrderSnapshot,
  now: Date,
): OrderPlaced | OrderCancellationRequested {
  const onceKey = `${announcement}:${order.orderId}`;
  const { orderId, customerId, storeId } = order;
  if (announcement === 'OrderCancellationRequested') {
    return stampEvent<OrderCancellationRequested>({ type: announcement, orderId, customerId, storeId }, { now, onceKey });
  }
  const placed = {
    type: announcement,
    orderId,
    customerId,
    storeId,
    lines: [...order.lines],
    totalCents: order.totalCents,
    paymentId: order.paymentId,
  };
  return stampEvent<OrderPlaced>(placed, { now: new Date(order.placedAt), onceKey });
}
