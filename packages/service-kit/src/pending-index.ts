import { createHash } from 'node:crypto';
import { ConcurrentWriteError, KeyedTurns, versioned } from './optimistic.js';
import type { StateWrite, Versioned, VersionedStore } from './state-store.js';

/**
 * Which records may have work left: a small, sharded index on the service's own
 * state store, so a sweep finds leftovers by reading a fixed number of keys
 * (O(shards + pending)), never by scanning history. It needs only versioned
 * reads and writes, which every store we ship has (PostgreSQL, Redis, SQLite,
 * MongoDB); Dapr's Query API (PostgreSQL v1 and MongoDB only) is not needed.
 *
 * A writer *holds* a record while its work is in flight: it adds a hold before
 * its write and releases it when the work is done (the event published, the
 * intent consumed). A writer that dies leaves its hold behind, and that is
 * exactly what the sweep looks for. Holds carry a per-writer id, so one writer
 * releasing never drops another's hold on the same record.
 */
export interface PendingEntry {
  /** Hold id → when it was taken (epoch ms). */
  holds: Record<string, number>;
  /** Outbox bookkeeping: the record's events up to this sequence are known to be published. */
  publishedThrough?: number;
}

interface Shard {
  entries: Record<string, PendingEntry>;
  /** A sweeper working on this shard, so replicas do not all relay the same leftovers. */
  claim?: { by: string; until: number };
}

export interface PendingIndexOptions {
  /** Number of shard keys: more means fewer write conflicts between concurrent writers. */
  shards?: number;
}

export class PendingIndex {
  readonly shards: number;
  /** Writers of one shard in this process take turns: no conflicts inside a replica, ETags between replicas. */
  private readonly turns = new KeyedTurns();

  constructor(
    private readonly store: VersionedStore,
    /** Prefix of the shard keys, e.g. `outbox` → `outbox-pending-0` … */
    private readonly name: string,
    options: PendingIndexOptions = {},
  ) {
    this.shards = options.shards ?? 16;
  }

  shardKeyOf(recordKey: string): string {
    const bucket = createHash('sha1').update(recordKey).digest().readUInt32BE(0) % this.shards;
    return `${this.name}-pending-${bucket}`;
  }

  allShardKeys(): string[] {
    return Array.from({ length: this.shards }, (_, bucket) => `${this.name}-pending-${bucket}`);
  }

  /**
   * Adds a hold on `recordKey`. `init` seeds a new entry (the outbox's publishedThrough).
   * `known` is the shard as already read, to save a round trip; a conflict re-reads it.
   */
  async hold(
    recordKey: string,
    holdId: string,
    now: number,
    options: { known?: Versioned<unknown>; init?: Omit<PendingEntry, 'holds'> } = {},
  ): Promise<PendingEntry> {
    return this.change(recordKey, options.known, (entry) => ({
      ...(entry ?? { ...options.init }),
      holds: { ...entry?.holds, [holdId]: now },
    }));
  }

  /** Drops a hold (and the entry once nobody holds it); `publishedThrough` only ever grows. */
  async release(recordKey: string, holdIds: string[], publishedThrough?: number): Promise<void> {
    await this.change(recordKey, undefined, (entry) => {
      if (!entry) return undefined;
      const holds = Object.fromEntries(Object.entries(entry.holds).filter(([id]) => !holdIds.includes(id)));
      if (Object.keys(holds).length === 0) return undefined;
      const through = Math.max(entry.publishedThrough ?? 0, publishedThrough ?? 0);
      return { ...entry, holds, ...(through > 0 ? { publishedThrough: through } : {}) };
    });
  }

  /** Every entry of every shard, in one round trip. */
  async entries(): Promise<Array<{ recordKey: string; shardKey: string; entry: PendingEntry; claim?: Shard['claim'] }>> {
    const shards = await this.store.readVersions(this.allShardKeys());
    return [...shards].flatMap(([shardKey, { value }]) =>
      Object.entries((value as Shard).entries).map(([recordKey, entry]) => ({ recordKey, shardKey, entry, claim: (value as Shard).claim })),
    );
  }

  /** Takes a shard for `forMs` unless another sweeper holds it; true when this one may work on it. */
  async claim(shardKey: string, by: string, now: number, forMs: number): Promise<boolean> {
    const stored = (await this.store.readVersions([shardKey])).get(shardKey);
    if (!stored) return false;
    const shard = stored.value as Shard;
    if (shard.claim && shard.claim.by !== by && shard.claim.until > now) return false;
    try {
      await this.store.putAll([{ key: shardKey, value: { ...shard, claim: { by, until: now + forMs } }, etag: stored.etag }]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentWriteError) return false;
      throw error;
    }
  }

  /** Read-change-write of one record's entry; `undefined` removes it, and an empty shard is deleted (claim and all). */
  private async change(
    recordKey: string,
    known: Versioned<unknown> | undefined,
    update: (entry: PendingEntry | undefined) => PendingEntry | undefined,
  ): Promise<PendingEntry> {
    let first = known;
    const shards = versioned<Versioned<unknown> | undefined, StateWrite>(
      {
        // The caller's read serves the first attempt; a retry reads afresh.
        read: async (shardKey) => {
          const given = first;
          first = undefined;
          return given ?? (await this.store.readVersions([shardKey])).get(shardKey);
        },
        write: (_, write) => this.store.putAll([write]),
      },
      { turns: this.turns, attempts: 20 },
    );
    const { result } = await shards.update(this.shardKeyOf(recordKey), (stored) => {
      const shardKey = this.shardKeyOf(recordKey);
      const shard: Shard = (stored?.value as Shard | undefined) ?? { entries: {} };
      const result = update(shard.entries[recordKey]);
      const entries = { ...shard.entries };
      if (result) entries[recordKey] = result;
      else delete entries[recordKey];
      // An empty shard is deleted (claim and all); one never stored needs no write at all.
      if (Object.keys(entries).length > 0) return { write: { key: shardKey, value: { ...shard, entries }, etag: stored?.etag }, result };
      return stored ? { write: { key: shardKey, remove: true as const, etag: stored.etag }, result } : { result };
    });
    return result ?? { holds: {} };
  }
}
