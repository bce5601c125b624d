import type { StoreEvent } from '@burger/contracts';
import { stampEvent } from '@burger/service-kit';
import type { TicketChange } from '../../domain/kitchen-ticket.js';

type Of<T extends StoreEvent['type']> = Extract<StoreEvent, { type: T }>;

/**
 * The store-events event a ticket change announces. Each happens at most once
 * per order, so its id is derived from (type, order): relaying it again after a
 * crash reaches idempotent consumers once.
 */
export function kitchenEvent({ ticket, announces }: TicketChange, now: Date): StoreEvent {
  const common = { orderId: ticket.orderId, customerId: ticket.customerId, storeId: ticket.storeId };
  const options = { onceKey: `${announces.type}:${ticket.orderId}`, now };
  switch (announces.type) {
    case 'OrderCancelled':
      return stampEvent<Of<'OrderCancelled'>>({ ...common, type: 'OrderCancelled', paymentId: ticket.paymentId }, options);
    case 'CancellationRejected':
      return stampEvent<Of<'CancellationRejected'>>({ ...common, type: 'CancellationRejected', reason: announces.reason }, options);
    default:
      return stampEvent<Of<typeof announces.type>>({ ...common, type: announces.type }, options);
  }
}
