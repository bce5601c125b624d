import { retryOnConflict } from '@burger/service-kit/concurrency';
import type { Favorite } from '../domain/favorite.js';
import { chooseFavorite } from '../domain/favorite.js';

export interface FavoriteRepository {
  find(customerId: string): Promise<{ favorite: Favorite; version: string } | undefined>;
  /**
   * Writes the new choice together with its FavoriteStoreSelected (one write: the outbox, published
   * after it), if unchanged since `version` (undefined: only if new); throws FavoriteChangedMeanwhile otherwise.
   */
  saveAnnounced(favorite: Favorite, version: string | undefined): Promise<void>;
}

export class FavoriteChangedMeanwhile extends Error {}

/** A customer chooses a favourite branch; a change is stored and announced in one write. */
export class SelectFavorite {
  constructor(private readonly deps: { favorites: FavoriteRepository; clock: { now(): Date } }) {}

  /** Two choices at once for one customer (two tabs, a double click): the later one reads again and decides again. */
  async execute(customerId: string, storeId: string): Promise<Favorite> {
    return retryOnConflict(async () => {
      const stored = await this.deps.favorites.find(customerId);
      const { favorite, changed } = chooseFavorite(stored?.favorite, customerId, storeId, this.deps.clock.now());
      if (changed) await this.deps.favorites.saveAnnounced(favorite, stored?.version);
      return favorite;
    }, (error) => error instanceof FavoriteChangedMeanwhile);
  }

  async current(customerId: string): Promise<Favorite | undefined> {
    return (await this.deps.favorites.find(customerId))?.favorite;
  }
}
