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

  it('takes the head its caller read along, and reads afresh when that read was stale', async () => {
    const store = new InMemoryVersionedStore();
    const list = new PagedList<string>(store, 'customer-orders', (id) => id);
    let reads = 0;
    let writes = 0;
    const counted = {
      get: (key: string) => (reads++, store.get(key)),
      put: (key: string, value: unknown, etag?: string) => (writes++, store.put(key, value, etag)),
    };
    const countedList = new PagedList<string>(counted, 'customer-orders', (id) => id);
    expect(await countedList.add('kim', 'a', { read: undefined, mark: countedList.markHeadOf('kim') })).toBe(true);
    expect(reads).toBe(0);
    // Stale because another replica (another list) wrote since: a conflict, then a fresh read.
    const stale = { mark: countedList.markHeadOf('kim'), read: await store.get(list.headKey('kim')) };
    await list.add('kim', 'b');
    expect(await countedList.add('kim', 'c', stale)).toBe(true);
    expect(reads).toBe(1);
    // Stale because this list wrote since its mark: not even tried, read afresh at once.
    const staleHere = { mark: countedList.markHeadOf('kim'), read: await store.get(list.headKey('kim')) };
    await countedList.add('kim', 'd');
    const writesBefore = writes;
    expect(await countedList.add('kim', 'e', staleHere)).toBe(true);
    expect(reads).toBe(3);
    expect(writes - writesBefore).toBe(1);
    expect((await list.page('kim', { limit: 10 })).items).toEqual(['e', 'd', 'c', 'b', 'a']);
  });
});
