import { DaprStateStore } from '@burger/service-kit';
import { EMPTY_TALLY, type Tally } from '../../domain/tastes.js';
import type { TallyStore } from '../../application/ports.js';

/** marketing's own store; named here, not in the shared contracts, because no one else may know it. */
export const MARKETING_STORE = 'marketingstore';

export class DaprTallyStore implements TallyStore {
  private readonly store: DaprStateStore<Tally>;

  constructor() {
    this.store = new DaprStateStore(MARKETING_STORE);
  }

  async load(key: string) {
    const stored = await this.store.get(key);
    return stored ? { tally: stored.value, version: stored.etag } : { tally: EMPTY_TALLY };
  }

  async save(key: string, tally: Tally, version: string | undefined): Promise<void> {
    await this.store.put(key, tally, version);
  }
}
