import { Component, type FavoriteStoreSelected } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, Outbox, stampEvent, type Logger } from '@burger/service-kit';
import type { Favorite } from '../../domain/favorite.js';
import type { FavoriteRepository } from '../../application/select-favorite.js';

/**
 * Favourites in select-store's own store (`favoritestore`, SQLite locally), one key per
 * customer, carrying FavoriteStoreSelected until it is published (outbox).
 */
export class DaprFavoriteRepository implements FavoriteRepository {
  readonly outbox: Outbox;

  constructor(logger: Logger) {
    this.outbox = new Outbox(new DaprStateStore(Component.favoriteStore), logger);
  }

  async find(customerId: string) {
    const read = await this.outbox.read<Favorite>(key(customerId));
    return read.value && read.etag ? { favorite: read.value, version: read.etag } : undefined;
  }

  async saveAnnounced(favorite: Favorite, version: string | undefined): Promise<void> {
    const read = version
      ? await this.outbox.readAt<Favorite>(key(favorite.customerId), version)
      : await this.outbox.read<Favorite>(key(favorite.customerId));
    // Expected new, found stored: someone chose first (a conflict like any other, decided again by the caller).
    if (!version && read.etag) throw new ConcurrentWriteError(key(favorite.customerId));
    await this.outbox.write(read, favorite, [selected(favorite)]);
  }
}

/** FavoriteStoreSelected on customer-events, keyed by customerId; the id is derived from the choice, so a re-announcement is the same event. */
function selected(favorite: Favorite): FavoriteStoreSelected {
  return stampEvent<FavoriteStoreSelected>(
    { type: 'FavoriteStoreSelected', customerId: favorite.customerId, storeId: favorite.storeId },
    { now: new Date(favorite.selectedAt), onceKey: `FavoriteStoreSelected:${favorite.customerId}:${favorite.selectedAt}` },
  );
}

const key = (customerId: string) => `favorite-${customerId}`;
