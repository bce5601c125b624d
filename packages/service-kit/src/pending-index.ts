import { createHash } from 'node:crypto';
import { ConcurrentWriteError, KeyedTurns, versioned, type KnownRead, type WriteMark } from './optimistic.js';
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
  /**
   * The longest a release waits for a hold to ride on before it is written by itself (releaseSoon). Well under
   * the outbox's leftover age (3 s), so another replica's sweep does not take a released hold for a leftover.
   */
  releaseWithinMs?: number;
}

/** Holds let go of in this process but not yet written, per shard key, then per record key. */
type Releases = Map<string, { holdIds: Set<string>; publishedThrough?: number }>;
/** The hold ids a write of a shard carried, per record key. */
type Applied = Array<[string, Set<string>]>;

export class PendingIndex {
  readonly shards: number;
  /** Writers of one shard in this process take turns: no conflicts inside a replica, ETags between replicas. */
  private readonly turns = new KeyedTurns();
  private readonly releasing = new Map<string, Releases>();
  private releaseTimer: NodeJS.Timeout | undefined;
  private readonly releaseWithinMs: number;

  constructor(
    private readonly store: VersionedStore,
    /** Prefix of the shard keys, e.g. `outbox` → `outbox-pending-0` … */
    private readonly name: string,
    options: PendingIndexOptions = {},
  ) {
    this.shards = options.shards ?? 16;
    this.releaseWithinMs = options.releaseWithinMs ?? 1_000;
  }

  shardKeyOf(recordKey: string): string {
    const bucket = createHash('sha1').update(recordKey).digest().readUInt32BE(0) % this.shards;
    return `${this.name}-pending-${bucket}`;
  }

  allShardKeys(): string[] {
    return Array.from({ length: this.shards }, (_, bucket) => `${this.name}-pending-${bucket}`);
  }

  /** Taken right before reading a shard (`shardKeyOf`) along with a record: what makes that read usable by `hold`. */
  markShard(shardKey: string): WriteMark | undefined {
    return this.turns.mark(shardKey);
  }

  /**
   * Adds a hold on `recordKey`. `init` seeds a new entry (the outbox's publishedThrough).
   * `known` is the shard as already read (with `markShard` taken before), to save a round trip: used only
   * while no write of the shard began here since; another replica's write since is a conflict that re-reads it.
   */
  async hold(
    recordKey: string,
    holdId: string,
    now: number,
    options: { known?: KnownRead<Versioned<unknown> | undefined>; init?: Omit<PendingEntry, 'holds'> } = {},
  ): Promise<PendingEntry> {
    return this.change(this.shardKeyOf(recordKey), options.known, {
      recordKey,
      update: (entry) => ({ ...(entry ?? { ...options.init }), holds: { ...entry?.holds, [holdId]: now } }),
    });
  }

  /** Drops a hold (and the entry once nobody holds it); `publishedThrough` only ever grows. */
  async release(recordKey: string, holdIds: string[], publishedThrough?: number): Promise<void> {
    await this.change(this.shardKeyOf(recordKey), undefined, {
      recordKey,
      update: (entry) => withoutHolds(entry, new Set(holdIds), publishedThrough),
    });
  }

  /**
   * Lets go of holds without a round trip of its own: the release rides on this process's next write of the
   * same shard (another record's hold), or it is written by itself after `releaseWithinMs` (`flushReleases`
   * writes what waits at shutdown). Until then `entries` leaves those holds out here; a crash before the write only leaves a
   * hold behind, which the index already allows for (a sweep finds the record owes nothing past what it
   * published, or publishes it again under its stable id).
   * Why: the eager release was a read and a write per event, about a third of an order's state calls.
   */
  releaseSoon(recordKey: string, holdIds: string[], publishedThrough?: number): void {
    const shardKey = this.shardKeyOf(recordKey);
    const releases: Releases = this.releasing.get(shardKey) ?? new Map();
    this.releasing.set(shardKey, releases);
    const known = releases.get(recordKey);
    const through = Math.max(known?.publishedThrough ?? 0, publishedThrough ?? 0);
    releases.set(recordKey, {
      holdIds: new Set([...(known?.holdIds ?? []), ...holdIds]),
      ...(through > 0 ? { publishedThrough: through } : {}),
    });
    this.writeReleasesLater();
  }

  /** Writes the waiting releases after releaseWithinMs: those no hold has carried by then, every shard at once. */
  private writeReleasesLater(): void {
    if (this.releaseTimer) return;
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      // A failure leaves them waiting, for the next hold of their shard or this timer's next turn.
      this.flushReleases().catch(() => this.writeReleasesLater());
    }, this.releaseWithinMs);
    this.releaseTimer.unref();
  }

  /**
   * Writes every release still waiting, all shards in one read and one transaction (the timer; shutdown).
   * Why one: written shard by shard, a lone release was a read and a write of its own, and at 20 orders a second
   * over 16 shards about a third of the releases were written that way.
   */
  async flushReleases(): Promise<void> {
    const shardKeys = [...this.releasing.keys()];
    if (shardKeys.length <= 1) {
      await Promise.all(shardKeys.map((shardKey) => this.change(shardKey, undefined)));
      return;
    }
    const stored = await this.store.readVersions(shardKeys);
    const carried = shardKeys.map((shardKey) => ({ shardKey, ...this.withReleases(shardKey, stored.get(shardKey)) }));
    const writes = carried.flatMap(({ write }) => write ?? []);
    try {
      for (const { key } of writes) this.turns.wrote(key); // outside a turn, yet a write a known read must not miss
      if (writes.length > 0) await this.store.putAll(writes);
    } catch (error) {
      if (!(error instanceof ConcurrentWriteError)) throw error;
      // Someone wrote a shard since: each on its own, with its retries. Releases are idempotent, so a store whose
      // transactions do not roll back (Dapr's Redis) having written some of them already does no harm.
      await Promise.all(shardKeys.map((shardKey) => this.change(shardKey, undefined)));
      return;
    }
    for (const { shardKey, applied } of carried) this.forgetWritten(shardKey, applied);
  }

  /** Every entry of every shard, in one round trip (holds this process has let go of but not yet written left out). */
  async entries(): Promise<Array<{ recordKey: string; shardKey: string; entry: PendingEntry; claim?: Shard['claim'] }>> {
    const shards = await this.store.readVersions(this.allShardKeys());
    return [...shards].flatMap(([shardKey, { value }]) => {
      const entries = applyReleases((value as Shard).entries, this.releasing.get(shardKey));
      return Object.entries(entries).map(([recordKey, entry]) => ({ recordKey, shardKey, entry, claim: (value as Shard).claim }));
    });
  }

  /** Takes a shard for `forMs` unless another sweeper holds it; true when this one may work on it. */
  async claim(shardKey: string, by: string, now: number, forMs: number): Promise<boolean> {
    const stored = (await this.store.readVersions([shardKey])).get(shardKey);
    if (!stored) return false;
    const shard = stored.value as Shard;
    if (shard.claim && shard.claim.by !== by && shard.claim.until > now) return false;
    try {
      this.turns.wrote(shardKey);
      await this.store.putAll([{ key: shardKey, value: { ...shard, claim: { by, until: now + forMs } }, etag: stored.etag }]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentWriteError) return false;
      throw error;
    }
  }

  /**
   * Read-change-write of one shard: this process's waiting releases, then `change` of one record's entry
   * (`undefined` removes it). An empty shard is deleted (claim and all); one never stored needs no write.
   */
  private async change(
    shardKey: string,
    known: KnownRead<Versioned<unknown> | undefined> | undefined,
    change?: { recordKey: string; update: (entry: PendingEntry | undefined) => PendingEntry | undefined },
  ): Promise<PendingEntry> {
    const shards = versioned<Versioned<unknown> | undefined, StateWrite>(
      { read: async (key) => (await this.store.readVersions([key])).get(key), write: (_, write) => this.store.putAll([write]) },
      { turns: this.turns, attempts: 20 },
    );
    let applied: Applied = [];
    const decide = (stored: Versioned<unknown> | undefined) => {
      const carried = this.withReleases(shardKey, stored, change);
      applied = carried.applied;
      return { write: carried.write, result: carried.result };
    };
    const { result } = await shards.update(shardKey, decide, known);
    this.forgetWritten(shardKey, applied);
    return result ?? { holds: {} };
  }

  /**
   * A shard with this process's waiting releases applied, then `change` of one record's entry (`undefined` removes
   * it): the write that says so (none when nothing changed; an empty shard is deleted, claim and all), the releases
   * it carries, and the changed entry.
   */
  private withReleases(
    shardKey: string,
    stored: Versioned<unknown> | undefined,
    change?: { recordKey: string; update: (entry: PendingEntry | undefined) => PendingEntry | undefined },
  ): { write: StateWrite | undefined; applied: Applied; result: PendingEntry | undefined } {
    const shard: Shard = (stored?.value as Shard | undefined) ?? { entries: {} };
    const releases = this.releasing.get(shardKey);
    const applied: Applied = [...(releases ?? [])].map(([recordKey, { holdIds }]) => [recordKey, new Set(holdIds)]);
    const entries = applyReleases(shard.entries, releases);
    const result = change ? change.update(entries[change.recordKey]) : undefined;
    if (change && result) entries[change.recordKey] = result;
    else if (change) delete entries[change.recordKey];
    if (!change && applied.length === 0) return { write: undefined, applied, result };
    if (Object.keys(entries).length > 0)
      return { write: { key: shardKey, value: { ...shard, entries }, etag: stored?.etag }, applied, result };
    return { write: stored ? { key: shardKey, remove: true as const, etag: stored.etag } : undefined, applied, result };
  }

  /** Drops the releases a write carried (a release added meanwhile stays for the next one). */
  private forgetWritten(shardKey: string, applied: Applied): void {
    const releases = this.releasing.get(shardKey);
    if (!releases) return;
    for (const [recordKey, holdIds] of applied) {
      const waiting = releases.get(recordKey);
      if (!waiting) continue;
      for (const id of holdIds) waiting.holdIds.delete(id);
      if (waiting.holdIds.size === 0) releases.delete(recordKey);
    }
    if (releases.size === 0) this.releasing.delete(shardKey);
  }
}

/** An entry without some of its holds (`undefined` once none is left); `publishedThrough` only ever grows. */
function withoutHolds(entry: PendingEntry | undefined, holdIds: Set<string>, publishedThrough?: number): PendingEntry | undefined {
  if (!entry) return undefined;
  const holds = Object.fromEntries(Object.entries(entry.holds).filter(([id]) => !holdIds.has(id)));
  if (Object.keys(holds).length === 0) return undefined;
  const through = Math.max(entry.publishedThrough ?? 0, publishedThrough ?? 0);
  return { ...entry, holds, ...(through > 0 ? { publishedThrough: through } : {}) };
}

/** A shard's entries with this process's waiting releases applied (a copy). */
function applyReleases(stored: Record<string, PendingEntry>, releases: Releases | undefined): Record<string, PendingEntry> {
  const entries = { ...stored };
  for (const [recordKey, { holdIds, publishedThrough }] of releases ?? []) {
    const left = withoutHolds(entries[recordKey], holdIds, publishedThrough);
    if (left) entries[recordKey] = left;
    else delete entries[recordKey];
  }
  return entries;
}
