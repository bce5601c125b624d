import { versioned } from '@burger/service-kit/concurrency';
import type { Favorite } from '../domain/favorite.js';
import { chooseFavorite } from '../domain/favorite.js';

export interface FavoriteRepository {
  find(customerId: string): Promise<{ favorite: Favorite; version: string } | undefined>;
  /**
   * Writes the new choice together with its FavoriteStoreSelected (one write: the outbox, published
   * after it), if unchanged since `version` (undefined: only if new); throws ConcurrentWriteError otherwise.
   */
  saveAnnounced(favorite: Favorite, version: string | undefined): Promise<void>;
}

/** A customer chooses a favourite branch; a change is stored and announced in one write. */
export class SelectFavorite {
  private readonly versions;

  constructor(private readonly deps: { favorites: FavoriteRepository; clock: { now(): Date } }) {
    this.versions = versioned({
      read: (customerId) => deps.favorites.find(customerId),
      write: (_, favorite: Favorite, stored) => deps.favorites.saveAnnounced(favorite, stored?.version),
    });
  }

  /** Two choices at once for one customer (two tabs, a double click): the later one reads again and decides again. */
  async execute(customerId: string, storeId: string): Promise<Favorite> {
    const { favorite } = await this.versions.update(customerId, (stored) => {
      const { favorite, changed } = chooseFavorite(stored?.favorite, customerId, storeId, this.deps.clock.now());
      return changed ? { write: favorite, favorite } : { favorite };
    });
    return favorite;
  }

  async current(customerId: string): Promise<Favorite | undefined> {
    return (await this.deps.favorites.find(customerId))?.favorite;
  }
}
