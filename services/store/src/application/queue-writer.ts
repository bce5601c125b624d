import { setTimeout as sleep } from 'node:timers/promises';
import type { StoreQueue } from '../domain/store-queue.js';
import { QueueChangedMeanwhile, type StoreQueueRepository } from './ports.js';

/** Attempts before giving up (a request gets a 503, an event goes back to the broker). */
const MAX_ATTEMPTS = 10;

/** Writes to one branch queue from this process, one at a time (see updateQueue). */
const branchTurns = new Map<string, Promise<unknown>>();

/**
 * Read-decide-write on one branch's queue with optimistic concurrency. Within
 * this process, writers to the same branch take turns, so a rush of requests
 * for one kitchen does not turn into a storm of conflicts; across replicas the
 * ETag decides, and on a conflict the decision is taken again on fresh data
 * after a short random pause. `decide` returns the queue to save (or none) and
 * the result to hand back.
 */
export async function updateQueue<R>(
  queues: StoreQueueRepository,
  storeId: string,
  decide: (queue: StoreQueue) => { save?: StoreQueue; result: R },
): Promise<R> {
  const previous = branchTurns.get(storeId) ?? Promise.resolve();
  const turn = previous.catch(() => undefined).then(() => readDecideWrite(queues, storeId, decide));
  branchTurns.set(storeId, turn);
  try {
    return await turn;
  } finally {
    if (branchTurns.get(storeId) === turn) branchTurns.delete(storeId);
  }
}

async function readDecideWrite<R>(queues: StoreQueueRepository, storeId: string, decide: (queue: StoreQueue) => { save?: StoreQueue; result: R }): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const { queue, version } = await queues.load(storeId);
    const { save, result } = decide(queue);
    if (!save) return result;
    try {
      await queues.save(save, version);
      return result;
    } catch (error) {
      if (!(error instanceof QueueChangedMeanwhile) || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.random() * 20 * attempt);
    }
  }
}
