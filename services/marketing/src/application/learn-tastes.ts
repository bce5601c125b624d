import { retryOnConflict } from '@burger/service-kit/concurrency';
import { count, EMPTY_TALLY, recommend, type Recommendation, type Tally } from '../domain/tastes.js';

export interface TallyStore {
  load(key: string): Promise<{ tally: Tally; version?: string }>;
  /** Throws TallyChangedMeanwhile when someone else wrote since `version`. */
  save(key: string, tally: Tally, version: string | undefined): Promise<void>;
}

export class TallyChangedMeanwhile extends Error {}

export const EVERYONE = 'popularity';
export const customerKey = (customerId: string) => `taste-${customerId}`;

export class LearnTastes {
  constructor(private readonly tallies: TallyStore) {}

  async orderPlaced(order: { eventId: string; customerId: string; lines: Array<{ menuItemId: string; quantity: number }> }): Promise<void> {
    for (const key of [customerKey(order.customerId), EVERYONE]) await this.add(key, order.eventId, order.lines);
  }

  async recommendationsFor(customerId: string): Promise<{ basedOnOrders: number; recommendations: Recommendation[] }> {
    const [customer, everyone] = await Promise.all([this.tallies.load(customerKey(customerId)), this.tallies.load(EVERYONE)]);
    return { basedOnOrders: customer.tally.orders, recommendations: recommend(customer.tally, everyone.tally) };
  }

  private async add(key: string, eventId: string, lines: Array<{ menuItemId: string; quantity: number }>): Promise<void> {
    await retryOnConflict(async () => {
      const stored = await this.tallies.load(key);
      const { tally, changed } = count(stored.tally ?? EMPTY_TALLY, eventId, lines);
      if (changed) await this.tallies.save(key, tally, stored.version);
    }, (error) => error instanceof TallyChangedMeanwhile);
  }
}
