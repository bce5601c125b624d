import type { StoreQueue } from '../domain/store-queue.js';
import { QueueChangedMeanwhile, type StoreQueueRepository } from './ports.js';

/** Attempts before giving up (a request gets a 503, an event goes back to the broker). */
const MAX_ATTEMPTS = 8;

/**
 * Read-decide-write on one branch's queue with optimistic concurrency: several
 * consumers and staff requests may touch the same branch at once, so on a
 * conflict the decision is taken again on fresh data. `decide` returns the new
 * queue to save (or undefined to save nothing) and the result to hand back.
 */
export async function updateQueue<R>(
  queues: StoreQueueRepository,
  storeId: string,
  decide: (queue: StoreQueue) => { save?: StoreQueue; result: R },
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const { queue, version } = await queues.load(storeId);
    const { save, result } = decide(queue);
    if (!save) return result;
    try {
      await queues.save(save, version);
      return result;
    } catch (error) {
      if (!(error instanceof QueueChangedMeanwhile) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
