import type { StoreQueue } from '../domain/store-queue.js';
import type { StoreQueueRepository } from './ports.js';

export class GetStoreQueue {
  constructor(private readonly queues: StoreQueueRepository) {}

  async execute(storeId: string): Promise<StoreQueue> {
    return (await this.queues.load(storeId)).queue;
  }
}
