import { KeyedTurns, retryOnConflict } from '@burger/service-kit/concurrency';
import type { StoreQueue } from '../domain/store-queue.js';
import { QueueChangedMeanwhile, type StoreQueueRepository } from './ports.js';

/** Writes to one branch queue from this process take turns (see KeyedTurns). */
const branchTurns = new KeyedTurns();

/**
 * Read-decide-write on one branch's queue with optimistic concurrency: within
 * this process writers to a branch take turns; across replicas the ETag
 * decides, and on a conflict the decision is taken again on fresh data.
 * `decide` returns the queue to save (or none) and the result to hand back.
 * Gives up after a bounded number of conflicts (a request gets a 503, an event
 * goes back to the broker).
 */
export async function updateQueue<R>(
  queues: StoreQueueRepository,
  storeId: string,
  decide: (queue: StoreQueue) => { save?: StoreQueue; result: R },
): Promise<R> {
  return branchTurns.run(storeId, () =>
    retryOnConflict(async () => {
      const { queue, version } = await queues.load(storeId);
      const { save, result } = decide(queue);
      if (save) await queues.save(save, version);
      return result;
    }, (error) => error instanceof QueueChangedMeanwhile),
  );
}
