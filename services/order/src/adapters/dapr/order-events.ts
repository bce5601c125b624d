import { randomUUID } from 'node:crypto';
import type { DaprClient } from '@dapr/dapr';
import { Component, OrderPlaced, Topic } from '@burger/contracts';
import type { OrderSnapshot } from '../../domain/order.js';
import type { OrderEvents } from '../../application/ports.js';

/** Publishes order events to the `pubsub` component, keyed by orderId so one order's events stay in order on one partition. */
export class DaprOrderEvents implements OrderEvents {
  constructor(private readonly client: DaprClient) {}

  async orderPlaced(order: OrderSnapshot): Promise<void> {
    const event = OrderPlaced.parse({
      type: 'OrderPlaced',
      version: 1,
      eventId: randomUUID(),
      orderId: order.orderId,
      occurredAt: order.placedAt,
      customerId: order.customerId,
      storeId: order.storeId,
      lines: order.lines,
      totalCents: order.totalCents,
      paymentId: order.paymentId,
    });
    const { error } = await this.client.pubsub.publish(Component.pubsub, Topic.orderEvents, event, {
      metadata: { partitionKey: order.orderId },
    });
    if (error) throw error;
  }
}
