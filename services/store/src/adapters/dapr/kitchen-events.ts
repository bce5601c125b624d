import type { StoreEvent } from '@burger/contracts';
import { publishEvent, stampEvent } from '@burger/service-kit';
import type { KitchenAnnouncement, KitchenEvents } from '../../application/ports.js';

/**
 * Publishes kitchen events on store-events, keyed by orderId. Every one of
 * them happens at most once per order, so its id is derived from (type, order):
 * announcing again after a failure reaches idempotent consumers once.
 */
type Of<T extends StoreEvent['type']> = Extract<StoreEvent, { type: T }>;

export class DaprKitchenEvents implements KitchenEvents {
  async announce(announcement: KitchenAnnouncement): Promise<void> {
    const { ticket } = announcement;
    const common = { orderId: ticket.orderId, customerId: ticket.customerId, storeId: ticket.storeId };
    const onceKey = `${announcement.type}:${ticket.orderId}`;
    const event: StoreEvent =
      announcement.type === 'OrderCancelled'
        ? stampEvent<Of<'OrderCancelled'>>({ ...common, type: 'OrderCancelled', paymentId: ticket.paymentId }, { onceKey })
        : announcement.type === 'CancellationRejected'
          ? stampEvent<Of<'CancellationRejected'>>({ ...common, type: 'CancellationRejected', reason: announcement.reason }, { onceKey })
          : stampEvent<Of<typeof announcement.type>>({ ...common, type: announcement.type }, { onceKey });
    await publishEvent(event);
  }
}
