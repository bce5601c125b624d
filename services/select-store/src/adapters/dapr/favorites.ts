import type { DaprClient } from '@dapr/dapr';
import { Component, type FavoriteStoreSelected } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, publishEvent, stampEvent } from '@burger/service-kit';
import type { Favorite } from '../../domain/favorite.js';
import { FavoriteChangedMeanwhile, type FavoriteEvents, type FavoriteRepository } from '../../application/select-favorite.js';

/** Favourites in select-store's own store (`favoritestore`, SQLite locally). */
export class DaprFavoriteRepository implements FavoriteRepository {
  private readonly store: DaprStateStore<Favorite>;

  constructor(client: DaprClient) {
    this.store = new DaprStateStore(client, Component.favoriteStore);
  }

  async find(customerId: string) {
    const stored = await this.store.get(key(customerId));
    return stored && { favorite: stored.value, version: stored.etag };
  }

  async save(favorite: Favorite, version: string | undefined): Promise<string> {
    try {
      await this.store.put(key(favorite.customerId), favorite, version);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new FavoriteChangedMeanwhile(favorite.customerId) : error;
    }
    return (await this.store.get(key(favorite.customerId)))!.etag;
  }
}

/** FavoriteStoreSelected on customer-events, keyed by customerId; the id is derived from the choice, so a re-announcement is the same event. */
export class DaprFavoriteEvents implements FavoriteEvents {
  async selected(favorite: Favorite): Promise<void> {
    const event = stampEvent<FavoriteStoreSelected>(
      { type: 'FavoriteStoreSelected', customerId: favorite.customerId, storeId: favorite.storeId },
      { now: new Date(favorite.selectedAt), onceKey: `FavoriteStoreSelected:${favorite.customerId}:${favorite.selectedAt}` },
    );
    await publishEvent(event);
  }
}

const key = (customerId: string) => `favorite-${customerId}`;
