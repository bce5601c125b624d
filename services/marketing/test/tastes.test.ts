import { describe, expect, it } from 'vitest';
import { count, EMPTY_TALLY, merge, recommend } from '../src/domain/tastes.js';
import { customerKey, LearnTastes, popularityKey } from '../src/application/learn-tastes.js';
import { ConcurrentWriteError } from '@burger/service-kit/concurrency';
import type { TallyStore } from '../src/application/ports.js';
import type { Tally } from '../src/domain/tastes.js';

const tally = (...orders: Array<Record<string, number>>) =>
  orders.reduce(
    (t, lines, i) =>
      count(
        t,
        `e${i}`,
        Object.entries(lines).map(([menuItemId, quantity]) => ({ menuItemId, quantity })),
      ).tally,
    EMPTY_TALLY,
  );

describe('recommendations', () => {
  it("suggests the customer's favourites, then popular items they have not tried", () => {
    const customer = tally({ 'shrimp-burger': 3 }, { 'shrimp-burger': 1, 'veggie-burger': 1 });
    const everyone = tally({ 'cheese-burger': 9 }, { 'bulgogi-burger': 5 }, { 'shrimp-burger': 20 });
    expect(recommend(customer, everyone)).toEqual([
      { menuItemId: 'shrimp-burger', reason: 'your favourite' },
      { menuItemId: 'veggie-burger', reason: 'your favourite' },
      { menuItemId: 'cheese-burger', reason: 'popular with other customers' },
      { menuItemId: 'bulgogi-burger', reason: 'popular with other customers' },
    ]);
  });

  it('offers a newcomer what is popular', () => {
    expect(recommend(EMPTY_TALLY, tally({ 'cheese-burger': 2 }))).toEqual([
      { menuItemId: 'cheese-burger', reason: 'popular with other customers' },
    ]);
  });

  it('adds up the popularity shards', () => {
    const total = merge([tally({ 'cheese-burger': 2 }), tally({ 'cheese-burger': 1, 'shrimp-burger': 4 })]);
    expect(total.counts).toEqual({ 'cheese-burger': 3, 'shrimp-burger': 4 });
  });

  it('counts a redelivered event once', () => {
    const once = count(EMPTY_TALLY, 'e1', [{ menuItemId: 'shrimp-burger', quantity: 2 }]).tally;
    expect(count(once, 'e1', [{ menuItemId: 'shrimp-burger', quantity: 2 }])).toEqual({ tally: once, changed: false });
  });
});

/** The store's transaction: every version checked, then everything written, or nothing. */
function inMemoryTallies(rivals = 0) {
  const stored = new Map<string, { tally: Tally; version: number }>();
  let transactions = 0;
  const store: TallyStore = {
    loadAll: async (keys) =>
      keys.map((key) => {
        const e = stored.get(key);
        return e ? { tally: e.tally, version: String(e.version) } : { tally: EMPTY_TALLY };
      }),
    saveAll: async (tallies) => {
      transactions++;
      const stale = tallies.find(({ key, version }) => (stored.has(key) ? String(stored.get(key)!.version) : undefined) !== version);
      if (rivals-- > 0 || stale) throw new ConcurrentWriteError(stale?.key ?? tallies[0]!.key);
      for (const { key, tally } of tallies) stored.set(key, { tally, version: (stored.get(key)?.version ?? 0) + 1 });
    },
  };
  return { store, stored, transactions: () => transactions };
}

const placed = (eventId: string, customerId = 'kim') => ({ eventId, customerId, lines: [{ menuItemId: 'shrimp-burger', quantity: 1 }] });

describe('learning tastes', () => {
  it('retries when another consumer wrote a tally first', async () => {
    const { store } = inMemoryTallies(2);
    const learn = new LearnTastes(store);
    await learn.orderPlaced(placed('e1'));
    expect((await learn.recommendationsFor('kim')).basedOnOrders).toBe(1);
  });

  it('counts a redelivered order once, in the customer and in everyone', async () => {
    const { store, stored, transactions } = inMemoryTallies();
    const learn = new LearnTastes(store);
    await learn.orderPlaced(placed('e1'));
    await learn.orderPlaced(placed('e1'));
    expect(transactions()).toBe(1);
    expect(stored.get(customerKey('kim'))!.tally.orders).toBe(1);
    expect(stored.get(popularityKey('e1'))!.tally).toEqual({ counts: { 'shrimp-burger': 1 }, orders: 1, countedEventIds: [] });
  });

  it('adds an order to the shard another customer changed meanwhile', async () => {
    const { store, stored } = inMemoryTallies();
    const learn = new LearnTastes(store);
    const shard = popularityKey('e1');
    const other = Array.from({ length: 200 }, (_, k) => `o${k}`).find((id) => popularityKey(id) === shard)!;
    await Promise.all([learn.orderPlaced(placed('e1')), new LearnTastes(store).orderPlaced(placed(other, 'lee'))]);
    expect(stored.get(shard)!.tally.orders).toBe(2);
    expect(stored.get(customerKey('lee'))!.tally.orders).toBe(1);
  });
});
