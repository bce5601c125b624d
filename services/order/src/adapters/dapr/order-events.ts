import type { DaprClient } from '@dapr/dapr';
import type { OrderCancellationRequested, OrderPlaced } from '@burger/contracts';
import { publishEvent, stampEvent } from '@burger/service-kit';
import type { OrderSnapshot } from '../../domain/order.js';
import type { OrderEvents } from '../../application/ports.js';

/**
 * Publishes order events (topic order-events, keyed by orderId). Each happens
 * once per order, so its id is derived from the order: publishing it again
 * after a failure is harmless to consumers, which are idempotent on eventId.
 */
export class DaprOrderEvents implements OrderEvents {
  constructor(private readonly client: DaprClient) {}

  async orderPlaced(order: OrderSnapshot): Promise<void> {
    const event = stampEvent<OrderPlaced>(
      {
        type: 'OrderPlaced',
        orderId: order.orderId,
        customerId: order.customerId,
        storeId: order.storeId,
        lines: [...order.lines],
        totalCents: order.totalCents,
        paymentId: order.paymentId,
      },
      { now: new Date(order.placedAt), onceKey: `OrderPlaced:${order.orderId}` },
    );
    await publishEvent(this.client, event);
  }

  async cancellationRequested(order: OrderSnapshot): Promise<void> {
    const event = stampEvent<OrderCancellationRequested>(
      { type: 'OrderCancellationRequested', orderId: order.orderId, customerId: order.customerId, storeId: order.storeId },
      { onceKey: `OrderCancellationRequested:${order.orderId}` },
    );
    await publishEvent(this.client, event);
  }
}
