import type { StoreQueue } from '../domain/store-queue.js';

export interface VersionedQueue {
  queue: StoreQueue;
  /** Opaque version for optimistic concurrency; undefined for a queue never stored. */
  version?: string;
}

export interface StoreQueueRepository {
  load(storeId: string): Promise<VersionedQueue>;
  /** Writes if nobody else wrote since `version`; otherwise throws QueueChangedMeanwhile. */
  save(queue: StoreQueue, version: string | undefined): Promise<void>;
}

export class QueueChangedMeanwhile extends Error {}

export interface Clock {
  now(): Date;
}
