import { describe, expect, it } from 'vitest';
import { PagedList } from '../src/paged-list.js';
import { InMemoryVersionedStore } from '../src/testing.js';

describe('PagedList', () => {
  it('keeps every record small however long the list gets, and pages through all of it newest first', async () => {
    const store = new InMemoryVersionedStore();
    const list = new PagedList<string>(store, 'customer-orders', (id) => id, 10);
    for (let n = 0; n < 95; n++) await list.add('kim', `order-${n}`);
    const biggest = Math.max(...[...store.records.values()].map(({ value }) => JSON.stringify(value).length));
    expect(biggest).toBeLessThan(200);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list.page('kim', { limit: 7, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 95 }, (_, n) => `order-${94 - n}`));
  });

  it('adds an item once (a redelivery finds it in the head)', async () => {
    const list = new PagedList<string>(new InMemoryVersionedStore(), 'inbox', (id) => id);
    expect(await list.add('kim', 'a')).toBe(true);
    expect(await list.add('kim', 'a')).toBe(false);
    expect((await list.page('kim', { limit: 10 })).items).toEqual(['a']);
  });

  it('reads the unpaged list that came before as its head', async () => {
    const store = new InMemoryVersionedStore();
    await store.put('customer-payments-kim', ['b', 'a']);
    const list = new PagedList<string>(store, 'customer-payments', (id) => id);
    await list.add('kim', 'c');
    expect((await list.page('kim', { limit: 10 })).items).toEqual(['c', 'b', 'a']);
  });
});
