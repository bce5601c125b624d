import { KeyedTurns, versioned } from '@burger/service-kit/concurrency';
import { createHash } from 'node:crypto';
import { addUp, count, merge, recommend, type Recommendation, type Tally } from '../domain/tastes.js';
import type { StoredTally, TallyStore } from './ports.js';

/**
 * What everyone likes is kept in a few shards (an order counts in the shard its event id picks), so the
 * orders of the whole chain do not all queue to rewrite one record; a recommendation adds them up.
 */
export const POPULARITY_SHARDS = 8;
export const popularityKey = (eventId: string) =>
  `popularity-${createHash('sha1').update(eventId).digest().readUInt32BE(0) % POPULARITY_SHARDS}`;
const ALL_POPULARITY = Array.from({ length: POPULARITY_SHARDS }, (_, shard) => `popularity-${shard}`);
export const customerKey = (customerId: string) => `taste-${customerId}`;

type Lines = Array<{ menuItemId: string; quantity: number }>;

export class LearnTastes {
  /** Orders of one shard take turns in this process, so they do not conflict with each other. */
  private readonly turns = new KeyedTurns();

  constructor(private readonly tallies: TallyStore) {}

  /**
   * The customer's tally and the order's popularity shard in one read and one transaction (two sidecar calls,
   * where a versioned update of each was four, and shards no longer carry 500 event ids each).
   */
  async orderPlaced(order: { eventId: string; customerId: string; lines: Lines }): Promise<void> {
    const keys = [customerKey(order.customerId), popularityKey(order.eventId)] as const;
    const both = versioned<StoredTally[], Tally[]>(
      {
        read: () => this.tallies.loadAll(keys),
        write: (_, next, read) => this.tallies.saveAll(keys.map((key, k) => ({ key, tally: next[k]!, version: read[k]!.version }))),
      },
      { turns: this.turns },
    );
    await both.update(keys[1], ([customer, shard]) => {
      const counted = count(customer!.tally, order.eventId, order.lines);
      // Counted before: the shard was written in the same transaction as the customer's ids.
      return counted.changed ? { write: [counted.tally, addUp(shard!.tally, order.lines)] } : {};
    });
  }

  async recommendationsFor(customerId: string): Promise<{ basedOnOrders: number; recommendations: Recommendation[] }> {
    const [customer, ...shards] = await this.tallies.loadAll([customerKey(customerId), ...ALL_POPULARITY]);
    return {
      basedOnOrders: customer!.tally.orders,
      recommendations: recommend(customer!.tally, merge(shards.map((shard) => shard.tally))),
    };
  }
}
