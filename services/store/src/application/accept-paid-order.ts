import { enqueue, type CookingTicket } from '../domain/store-queue.js';
import { QueueChangedMeanwhile, type Clock, type StoreQueueRepository } from './ports.js';

/** Attempts before giving the event back to the broker for redelivery. */
const MAX_ATTEMPTS = 8;

export interface PaidOrder {
  orderId: string;
  storeId: string;
  lines: CookingTicket['lines'];
}

/**
 * A paid order reaches its branch: put it in that branch's cooking queue.
 * Consumers of one branch may run concurrently (several partitions, several
 * replicas), so the write is optimistic and re-read on conflict.
 */
export class AcceptPaidOrder {
  constructor(private readonly deps: { queues: StoreQueueRepository; clock: Clock }) {}

  async execute(order: PaidOrder): Promise<{ added: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const { queue, version } = await this.deps.queues.load(order.storeId);
      const ticket: CookingTicket = { ...order, queuedAt: this.deps.clock.now().toISOString() };
      const result = enqueue(queue, ticket);
      if (!result.added) return { added: false };
      try {
        await this.deps.queues.save(result.queue, version);
        return { added: true };
      } catch (error) {
        if (!(error instanceof QueueChangedMeanwhile) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
