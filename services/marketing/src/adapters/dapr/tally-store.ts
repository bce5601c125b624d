import { DaprStateStore } from '@burger/service-kit';
import { EMPTY_TALLY, type Tally } from '../../domain/tastes.js';
import type { StoredTally, TallyStore } from '../../application/ports.js';

/** marketing's own store; named here, not in the shared contracts, because no one else may know it. */
export const MARKETING_STORE = 'marketingstore';

/**
 * Its tallies over Dapr's state API: a bulk get and a state transaction. The shipped store (SQLite) runs the
 * transaction as one database transaction, ETag checks and first writes included, so a conflict writes nothing.
 * Swapped for Redis, whose transactions neither roll back a failed ETag check nor keep first-write (see
 * DaprStateStore.putAll), two deliveries racing on one tally could count an order twice or not at all: tolerable
 * for a recommendation, which is why marketing, and no one handling money, relies on it.
 */
export class DaprTallyStore implements TallyStore {
  private readonly store = new DaprStateStore<Tally>(MARKETING_STORE);

  async loadAll(keys: readonly string[]): Promise<StoredTally[]> {
    const found = await this.store.readVersions([...keys]);
    return keys.map((key) => {
      const stored = found.get(key);
      return stored ? { tally: stored.value as Tally, version: stored.etag } : { tally: EMPTY_TALLY };
    });
  }

  async saveAll(tallies: ReadonlyArray<{ key: string; tally: Tally; version: string | undefined }>): Promise<void> {
    await this.store.putAll(tallies.map(({ key, tally, version }) => ({ key, value: tally, etag: version })));
  }
}
