import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import { emptyQueue, type StoreQueue } from '../../domain/store-queue.js';
import { QueueChangedMeanwhile, type StoreQueueRepository, type VersionedQueue } from '../../application/ports.js';

/** Each branch's queue is one key in `storequeue` (Redis); its ETag guards concurrent consumers. */
export class DaprStoreQueueRepository implements StoreQueueRepository {
  private readonly store: DaprStateStore<StoreQueue>;

  constructor(client: DaprClient) {
    this.store = new DaprStateStore(client, Component.storeQueue);
  }

  async load(storeId: string): Promise<VersionedQueue> {
    const stored = await this.store.get(queueKey(storeId));
    return stored ? { queue: stored.value, version: stored.etag } : { queue: emptyQueue(storeId) };
  }

  async save(queue: StoreQueue, version: string | undefined): Promise<void> {
    try {
      await this.store.put(queueKey(queue.storeId), queue, version);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new QueueChangedMeanwhile(queue.storeId) : error;
    }
  }
}

const queueKey = (storeId: string) => `queue-${storeId}`;
