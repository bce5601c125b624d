import { describe, expect, it } from 'vitest';
import { UnknownBranch, type Favorite } from '../src/domain/favorite.js';
import { FavoriteChangedMeanwhile, SelectFavorite, type FavoriteRepository } from '../src/application/select-favorite.js';

class InMemoryFavorites implements FavoriteRepository {
  readonly stored = new Map<string, { favorite: Favorite; version: number }>();
  async find(customerId: string) {
    const e = this.stored.get(customerId);
    return e && { favorite: e.favorite, version: String(e.version) };
  }
  async save(favorite: Favorite, version: string | undefined) {
    const e = this.stored.get(favorite.customerId);
    if ((e ? String(e.version) : undefined) !== version) throw new FavoriteChangedMeanwhile();
    this.stored.set(favorite.customerId, { favorite, version: (e?.version ?? 0) + 1 });
    return String((e?.version ?? 0) + 1);
  }
}

function setup() {
  const favorites = new InMemoryFavorites();
  const announced: string[] = [];
  let failNext = false;
  const events = {
    selected: async (f: Favorite) => {
      if (failNext) throw ((failNext = false), new Error('broker down'));
      announced.push(f.storeId);
    },
  };
  const select = new SelectFavorite({ favorites, events, clock: { now: () => new Date() } });
  return { favorites, announced, select, failOnce: () => void (failNext = true) };
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

  it('keeps a choice whose announcement failed, and announces it when asked again', async () => {
    const { favorites, announced, select, failOnce } = setup();
    failOnce();
    await expect(select.execute('kim', 'hongdae')).rejects.toThrow('broker down');
    expect((await favorites.find('kim'))?.favorite).toMatchObject({ storeId: 'hongdae', announced: false });
    await select.execute('kim', 'hongdae');
    expect(announced).toEqual(['hongdae']);
    expect((await favorites.find('kim'))?.favorite.announced).toBe(true);
  });

  it('settles two choices made at the same moment: both answer, one of them is stored and announced last', async () => {
    const { select, favorites, announced } = setup();
    const chosen = await Promise.all(['jongno', 'hongdae', 'gangnam'].map((storeId) => select.execute('kim', storeId)));
    expect(chosen.map((f) => f.storeId)).toEqual(['jongno', 'hongdae', 'gangnam']);
    const stored = favorites.stored.get('kim')!.favorite.storeId;
    expect(announced.at(-1)).toBe(stored);
  });
});
