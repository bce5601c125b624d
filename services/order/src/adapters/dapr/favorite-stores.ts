import { Component } from '@burger/contracts';
import { DaprStateStore, versioned } from '@burger/service-kit';
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
    await versioned(this.store).update(favoriteKey(customerId), (stored) =>
      stored && stored.value.selectedAt >= selectedAt ? {} : { write: { storeId, selectedAt } },
    );
  }
}

const favoriteKey = (customerId: string) => `favorite-${customerId}`;
