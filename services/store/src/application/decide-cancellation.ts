import type { OrderCancellationRequested } from '@burger/contracts';
import { decideCancellation, type CancellationDecision } from '../domain/store-queue.js';
import type { Clock, KitchenEvents, StoreQueueRepository } from './ports.js';
import { updateQueue } from './queue-writer.js';

/** Not known yet: the order's OrderPlaced has not been processed; the broker should redeliver later. */
export class OrderNotYetInKitchen extends Error {}

/** The customer asked to cancel: the kitchen accepts if cooking has not started, and says which. */
export class DecideCancellation {
  constructor(private readonly deps: { queues: StoreQueueRepository; events: KitchenEvents; clock: Clock }) {}

  async execute(request: OrderCancellationRequested): Promise<CancellationDecision['verdict']> {
    const decision = await updateQueue(this.deps.queues, request.storeId, (queue) => {
      const outcome = decideCancellation(queue, request.orderId, this.deps.clock.now());
      return { save: outcome.verdict === 'cancelled' && outcome.done ? outcome.queue : undefined, result: outcome };
    });
    if (decision.verdict === 'unknown') throw new OrderNotYetInKitchen(request.orderId);
    if (decision.verdict === 'cancelled') await this.deps.events.announce({ type: 'OrderCancelled', ticket: decision.ticket });
    else await this.deps.events.announce({ type: 'CancellationRejected', ticket: decision.ticket, reason: decision.reason });
    return decision.verdict;
  }
}
