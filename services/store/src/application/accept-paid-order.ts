import type { OrderPlaced } from '@burger/contracts';
import { acceptOrder } from '../domain/store-queue.js';
import type { Clock, KitchenEvents, StoreQueueRepository } from './ports.js';
import { updateQueue } from './queue-writer.js';

/** A paid order reaches its branch: it joins that branch's queue, and the kitchen says so. */
export class AcceptPaidOrder {
  constructor(private readonly deps: { queues: StoreQueueRepository; events: KitchenEvents; clock: Clock }) {}

  async execute(order: OrderPlaced): Promise<{ added: boolean }> {
    const ticket = {
      orderId: order.orderId,
      storeId: order.storeId,
      customerId: order.customerId,
      paymentId: order.paymentId,
      lines: order.lines,
      queuedAt: this.deps.clock.now().toISOString(),
    };
    const result = await updateQueue(this.deps.queues, order.storeId, (queue) => {
      const accepted = acceptOrder(queue, ticket);
      return { save: accepted.added ? accepted.queue : undefined, result: accepted };
    });
    const queued = result.queue.tickets.find((t) => t.orderId === order.orderId);
    // Announced again on redelivery: the first announcement may have been lost after the save.
    if (queued) await this.deps.events.announce({ type: 'OrderQueued', ticket: queued });
    return { added: result.added };
  }
}
