import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, retryOnConflict } from '@burger/service-kit';
import type { FavoriteStores } from '../../application/ports.js';

interface FavoriteReplica {
  storeId: string;
  selectedAt: string;
}


/**
 * order's own copy of each customer's favourite branch, kept in orderstore from
 * FavoriteStoreSelected events, so ordering never calls select-store and keeps
 * working while it is down.
 */
export class DaprFavoriteStores implements FavoriteStores {
  private readonly store: DaprStateStore<FavoriteReplica>;

  constructor() {
    this.store = new DaprStateStore(Component.orderStore);
  }

  async find(customerId: string): Promise<string | undefined> {
    return (await this.store.get(favoriteKey(customerId)))?.value.storeId;
  }

  async remember(customerId: string, storeId: string, selectedAt: string): Promise<void> {
    await retryOnConflict(async () => {
      const stored = await this.store.get(favoriteKey(customerId));
      if (stored && stored.value.selectedAt >= selectedAt) return;
      await this.store.put(favoriteKey(customerId), { storeId, selectedAt }, stored?.etag);
    }, (error) => error instanceof ConcurrentWriteError);
  }
}

const favoriteKey = (customerId: string) => `favorite-${customerId}`;
