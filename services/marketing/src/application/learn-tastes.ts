import { versioned } from '@burger/service-kit/concurrency';
import { createHash } from 'node:crypto';
import { count, EMPTY_TALLY, merge, recommend, type Recommendation, type Tally } from '../domain/tastes.js';
import type { TallyStore } from './ports.js';

/**
 * What everyone likes is kept in a few shards (an order counts in the shard its event id picks), so the
 * orders of the whole chain do not all queue to rewrite one record; a recommendation adds them up.
 */
export const POPULARITY_SHARDS = 8;
export const popularityKey = (eventId: string) =>
  `popularity-${createHash('sha1').update(eventId).digest().readUInt32BE(0) % POPULARITY_SHARDS}`;
const ALL_POPULARITY = Array.from({ length: POPULARITY_SHARDS }, (_, shard) => `popularity-${shard}`);
export const customerKey = (customerId: string) => `taste-${customerId}`;

export class LearnTastes {
  constructor(private readonly tallies: TallyStore) {}

  async orderPlaced(order: { eventId: string; customerId: string; lines: Array<{ menuItemId: string; quantity: number }> }): Promise<void> {
    for (const key of [customerKey(order.customerId), popularityKey(order.eventId)]) await this.add(key, order.eventId, order.lines);
  }

  async recommendationsFor(customerId: string): Promise<{ basedOnOrders: number; recommendations: Recommendation[] }> {
    const [customer, ...shards] = await Promise.all([customerKey(customerId), ...ALL_POPULARITY].map((key) => this.tallies.load(key)));
    return {
      basedOnOrders: customer!.tally.orders,
      recommendations: recommend(customer!.tally, merge(shards.map((shard) => shard.tally))),
    };
  }

  private async add(key: string, eventId: string, lines: Array<{ menuItemId: string; quantity: number }>): Promise<void> {
    const tallies = versioned({
      read: (at) => this.tallies.load(at),
      write: (at, tally: Tally, stored) => this.tallies.save(at, tally, stored.version),
    });
    await tallies.update(key, (stored) => {
      const { tally, changed } = count(stored.tally ?? EMPTY_TALLY, eventId, lines);
      return changed ? { write: tally } : {};
    });
  }
}
