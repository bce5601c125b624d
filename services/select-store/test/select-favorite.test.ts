import { describe, expect, it } from 'vitest';
import { UnknownBranch, type Favorite } from '../src/domain/favorite.js';
import { ConcurrentWriteError } from '@burger/service-kit/concurrency';
import { SelectFavorite, type FavoriteRepository } from '../src/application/select-favorite.js';

/** Announcements ride in the same write as the choice (outbox), so the fake records them on save. */
class InMemoryFavorites implements FavoriteRepository {
  readonly stored = new Map<string, { favorite: Favorite; version: number }>();
  readonly announced: string[] = [];
  /** Another request saves first, once, just before ours. */
  racer: Favorite | undefined;
  async find(customerId: string) {
    const e = this.stored.get(customerId);
    return e && { favorite: e.favorite, version: String(e.version) };
  }
  async saveAnnounced(favorite: Favorite, version: string | undefined) {
    if (this.racer) {
      const racer = this.racer;
      this.racer = undefined;
      await this.saveAnnounced(racer, version);
    }
    const e = this.stored.get(favorite.customerId);
    if ((e ? String(e.version) : undefined) !== version) throw new ConcurrentWriteError(favorite.customerId);
    this.stored.set(favorite.customerId, { favorite, version: (e?.version ?? 0) + 1 });
    this.announced.push(favorite.storeId);
  }
}

function setup() {
  const favorites = new InMemoryFavorites();
  const select = new SelectFavorite({ favorites, clock: { now: () => new Date() } });
  return { favorites, announced: favorites.announced, select };
}

describe('choosing a favourite branch', () => {
  it('refuses a branch that does not exist', async () => {
    await expect(setup().select.execute('kim', 'atlantis')).rejects.toBeInstanceOf(UnknownBranch);
  });

  it('announces a change once; the same choice again announces nothing', async () => {
    const { announced, select } = setup();
    await select.execute('kim', 'gangnam');
    await select.execute('kim', 'gangnam');
    await select.execute('kim', 'jongno');
    expect(announced).toEqual(['gangnam', 'jongno']);
    expect((await select.current('kim'))?.storeId).toBe('jongno');
  });

  it('decides again on fresh data when another choice was saved first', async () => {
    const { favorites, announced, select } = setup();
    favorites.racer = { customerId: 'kim', storeId: 'hongdae', selectedAt: new Date().toISOString() };
    await select.execute('kim', 'jongno');
    expect(announced).toEqual(['hongdae', 'jongno']);
    expect((await select.current('kim'))?.storeId).toBe('jongno');
  });

  it('settles two choices made at the same moment: both answer, one of them is stored and announced last', async () => {
    const { select, favorites, announced } = setup();
    const chosen = await Promise.all(['jongno', 'hongdae', 'gangnam'].map((storeId) => select.execute('kim', storeId)));
    expect(chosen.map((f) => f.storeId)).toEqual(['jongno', 'hongdae', 'gangnam']);
    const stored = favorites.stored.get('kim')!.favorite.storeId;
    expect(announced.at(-1)).toBe(stored);
  });
});
