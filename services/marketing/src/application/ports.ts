import type { Tally } from '../domain/tastes.js';

/** A tally as read, with the version a write must go over (none: the key is new). */
export interface StoredTally {
  tally: Tally;
  version?: string | undefined;
}

/** Where marketing keeps its tallies (one per customer, a few shards of what everyone orders). */
export interface TallyStore {
  /** The tallies under `keys`, in that order, in one read; an absent one is empty and has no version. */
  loadAll(keys: readonly string[]): Promise<StoredTally[]>;
  /**
   * All of them or none (one transaction). Throws ConcurrentWriteError (service-kit) when someone else wrote one
   * since its `version`, or created one that had none.
   */
  saveAll(tallies: ReadonlyArray<{ key: string; tally: Tally; version: string | undefined }>): Promise<void>;
}
