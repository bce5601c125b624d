import type { Tally } from '../domain/tastes.js';

/** Where marketing keeps its tallies (one per customer, a few shards of what everyone orders). */
export interface TallyStore {
  load(key: string): Promise<{ tally: Tally; version?: string }>;
  /** Throws ConcurrentWriteError (service-kit) when someone else wrote since `version`. */
  save(key: string, tally: Tally, version: string | undefined): Promise<void>;
}
