import { retryOnConflict } from '@burger/service-kit/concurrency';
import type { Favorite } from '../domain/favorite.js';
import { chooseFavorite } from '../domain/favorite.js';

export interface FavoriteRepository {
  find(customerId: string): Promise<{ favorite: Favorite; version: string } | undefined>;
  /** Writes if unchanged since `version` (undefined: only if new); throws FavoriteChangedMeanwhile otherwise. */
  save(favorite: Favorite, version: string | undefined): Promise<string>;
}

export class FavoriteChangedMeanwhile extends Error {}

export interface FavoriteEvents {
  selected(favorite: Favorite): Promise<void>;
}

/** Save first, then announce; an unannounced choice is announced on the next request (the customer's retry). */
export class SelectFavorite {
  constructor(private readonly deps: { favorites: FavoriteRepository; events: FavoriteEvents; clock: { now(): Date } }) {}

  /** Two choices at once for one customer (two tabs, a double click): the later one reads again and decides again. */
  async execute(customerId: string, storeId: string): Promise<Favorite> {
    return retryOnConflict(() => this.choose(customerId, storeId), (error) => error instanceof FavoriteChangedMeanwhile);
  }

  private async choose(customerId: string, storeId: string): Promise<Favorite> {
    const stored = await this.deps.favorites.find(customerId);
    const { favorite, mustAnnounce } = chooseFavorite(stored?.favorite, customerId, storeId, this.deps.clock.now());
    if (!mustAnnounce) return favorite;
    let version = stored?.version;
    if (favorite !== stored?.favorite) version = await this.deps.favorites.save(favorite, version);
    await this.deps.events.selected(favorite);
    const announced = { ...favorite, announced: true };
    await this.deps.favorites.save(announced, version).catch((error: unknown) => {
      // Someone chose again meanwhile; their choice will be announced by their own request.
      if (!(error instanceof FavoriteChangedMeanwhile)) throw error;
    });
    return announced;
  }

  async current(customerId: string): Promise<Favorite | undefined> {
    return (await this.deps.favorites.find(customerId))?.favorite;
  }
}
