import { describe, expect, it } from 'vitest';
import { count, EMPTY_TALLY, merge, recommend } from '../src/domain/tastes.js';
import { LearnTastes } from '../src/application/learn-tastes.js';
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

describe('learning tastes', () => {
  it('retries when another consumer wrote the tally first', async () => {
    const stored = new Map<string, { tally: Tally; version: number }>();
    let rivals = 2;
    const store: TallyStore = {
      load: async (key) => {
        const e = stored.get(key);
        return e ? { tally: e.tally, version: String(e.version) } : { tally: EMPTY_TALLY };
      },
      save: async (key, t, version) => {
        const e = stored.get(key);
        if (rivals-- > 0 || (e ? String(e.version) : undefined) !== version) throw new ConcurrentWriteError(key);
        stored.set(key, { tally: t, version: (e?.version ?? 0) + 1 });
      },
    };
    const learn = new LearnTastes(store);
    await learn.orderPlaced({ eventId: 'e1', customerId: 'kim', lines: [{ menuItemId: 'shrimp-burger', quantity: 1 }] });
    expect((await learn.recommendationsFor('kim')).basedOnOrders).toBe(1);
  });
});
