import { randomUUID } from 'node:crypto';
import { AnyEvent, minimumAbandonedHoldAgeMs } from '@burger/contracts';
import { publishEvent } from './events.js';
import type { Logger } from './logger.js';
import { PendingIndex } from './pending-index.js';
import { runPeriodically } from './periodic.js';
import { ConcurrentWriteError, type WriteMark } from './optimistic.js';
import type { StateWrite, Versioned, VersionedStore } from './state-store.js';

/** The events a record still owes the broker, numbered per record so they go out in order. */
export interface OutboxState {
  lastSeq: number;
  pending: Array<{ seq: number; event: AnyEvent }>;
}

/** A record as read for a read-decide-write: its value (without the outbox), its ETag, and what the outbox needs. */
export interface OutboxRead<T> {
  readonly key: string;
  readonly value: T | undefined;
  readonly etag: string | undefined;
  readonly outbox: OutboxState;
  readonly shard: Versioned<unknown> | undefined;
  /** Taken right before the read: tells the hold whether `shard` is still current in this process. */
  readonly shardMark: WriteMark | undefined;
  /** The other keys asked for in the same round trip (`alsoRead`), with their ETags; missing keys are left out. */
  readonly also: Map<string, Versioned<unknown>>;
}

export interface OutboxOptions {
  /** Prefix of the pending-index keys in the store. */
  name?: string;
  shards?: number;
  /** How often leftovers are looked for. */
  sweepEveryMs?: number;
  /** A hold older than this is relayed by the sweep (a duplicate of a live relay is harmless: ids are stable). */
  leftoverAfterMs?: number;
  /**
   * A hold older than this belongs to a writer that is certainly gone, so the sweep may drop it. It must exceed the
   * longest time between a writer's hold and the end of its write: by default derived from the storage budget.
   */
  abandonHoldAfterMs?: number;
  /** The sweep's budget per publish, and how many records it relays at once: a backlog clears in bounded time. */
  relayTimeoutMs?: number;
  parallel?: number;
  /** Replaced in unit tests. */
  publish?: (event: AnyEvent, options: { timeoutMs?: number }) => Promise<void>;
  now?: () => number;
}

export interface WriteOptions {
  /** More writes for the same state transaction (e.g. consuming a payment intent). */
  alsoWrite?: StateWrite[];
  /** The store forgets the record after this long (a closed ticket's tombstone). */
  ttlSeconds?: number;
  /** Test-only crash points around the commit. */
  beforeCommit?: () => void;
  afterCommit?: () => void;
}

const NO_EVENTS: OutboxState = { lastSeq: 0, pending: [] };

/**
 * Transactional outbox on any Dapr state store. The events a change announces
 * ride in the changed record itself (field `outbox`), so the change and its
 * events are one single-key write, atomic on every store we ship, Redis
 * included (Dapr's Redis transactions do not roll back a failed ETag check, so a
 * separate outbox key could commit without its record, or the other way round).
 * Numbering per record keeps one aggregate's events in order: a relay always
 * publishes everything the record still owes, oldest first.
 *
 * Findability without scanning history: before writing, the writer holds the
 * record in a small sharded PendingIndex and releases the hold once its relay
 * has published (lazily: the release rides on the next hold of its shard, or is
 * written within a second). A crash or a broker outage leaves the hold, and the sweep reads
 * the index (a fixed number of keys), claims a shard so replicas do not repeat
 * each other, and relays what those records owe, a few at a time with a short
 * timeout per publish.
 *
 * Publishing happens after the write, off the request's path; the caller may
 * await `relayed` where a test or a reader needs it.
 */
export class Outbox {
  readonly index: PendingIndex;
  private readonly options: Required<Omit<OutboxOptions, 'name' | 'shards'>>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly instance = randomUUID();
  /** Reads handed out recently, so a port that splits "load" and "save" costs one read per change. */
  private readonly recent = new Map<string, OutboxRead<unknown>>();
  private stopSweeping: (() => void) | undefined;

  constructor(
    private readonly store: VersionedStore,
    private readonly logger: Logger,
    options: OutboxOptions = {},
  ) {
    this.index = new PendingIndex(store, options.name ?? 'outbox', { shards: options.shards ?? 16 });
    this.options = {
      sweepEveryMs: options.sweepEveryMs ?? 2_000,
      leftoverAfterMs: options.leftoverAfterMs ?? 3_000,
      abandonHoldAfterMs: options.abandonHoldAfterMs ?? minimumAbandonedHoldAgeMs(),
      relayTimeoutMs: options.relayTimeoutMs ?? 5_000,
      parallel: options.parallel ?? 8,
      publish: options.publish ?? ((event, publishOptions) => publishEvent(event, { ...publishOptions, validated: true })),
      now: options.now ?? Date.now,
    };
  }

  /** Reads a record and its pending-index shard, and any `alsoRead` keys the same write needs, in one round trip. */
  async read<T>(key: string, alsoRead: string[] = []): Promise<OutboxRead<T>> {
    const shardKey = this.index.shardKeyOf(key);
    const shardMark = this.index.markShard(shardKey);
    const found = await this.store.readVersions([key, shardKey, ...alsoRead]);
    const stored = found.get(key);
    const { value, outbox } = split<T>(stored?.value);
    const also = new Map(alsoRead.flatMap((other) => (found.has(other) ? [[other, found.get(other)!] as const] : [])));
    const read = { key, value, etag: stored?.etag, outbox, shard: found.get(shardKey), shardMark, also };
    if (this.recent.size >= 1_000) this.recent.clear();
    if (read.etag) this.recent.set(`${key}@${read.etag}`, read);
    return read;
  }

  /**
   * The read behind a version that `read` handed out (for a repository whose `load` returned only the
   * version), or a fresh one; throws ConcurrentWriteError when the record has moved on since.
   */
  async readAt<T>(key: string, version: string): Promise<OutboxRead<T>> {
    const remembered = this.recent.get(`${key}@${version}`) as OutboxRead<T> | undefined;
    this.recent.delete(`${key}@${version}`);
    const read = remembered ?? (await this.read<T>(key));
    if (read.etag !== version) throw new ConcurrentWriteError(key);
    return read;
  }

  /**
   * Writes `value` over the version read, with `events` added to what the record owes, then relays in the
   * background. Throws ConcurrentWriteError when someone wrote first (nothing was written: decide again);
   * any other error may hide a commit, so the hold stays and the sweep settles it.
   */
  async write<T extends object>(
    read: OutboxRead<T>,
    value: T,
    events: AnyEvent[],
    options: WriteOptions = {},
  ): Promise<{ relayed: Promise<void> }> {
    for (const event of events) AnyEvent.parse(event); // the producer's side of the contract, once
    if (events.length === 0) {
      await this.commit(read, { ...value, ...(read.outbox.pending.length ? { outbox: read.outbox } : {}) }, options);
      return { relayed: Promise.resolve() };
    }
    const holdId = randomUUID();
    const entry = await this.index.hold(read.key, holdId, this.options.now(), {
      known: { read: read.shard, mark: read.shardMark },
      init: { publishedThrough: read.outbox.lastSeq },
    });
    const through = entry.publishedThrough ?? 0;
    const outbox: OutboxState = {
      lastSeq: read.outbox.lastSeq + events.length,
      pending: [
        ...read.outbox.pending.filter(({ seq }) => seq > through),
        ...events.map((event, at) => ({ seq: read.outbox.lastSeq + 1 + at, event })),
      ],
    };
    try {
      await this.commit(read, { ...value, outbox }, options);
    } catch (error) {
      // Known not written: let go of the hold. Anything else might have committed: keep it for the sweep.
      if (error instanceof ConcurrentWriteError) await this.index.release(read.key, [holdId]).catch(() => undefined);
      throw error;
    }
    return { relayed: this.track(this.relay(read.key, outbox, [holdId])) };
  }

  /** Publishes everything still owed by one record, sweeping at once and then periodically until `stop`. */
  start(): void {
    this.stopSweeping = runPeriodically('outbox sweep', this.options.sweepEveryMs, () => this.sweep(), this.logger);
  }

  /** Stops sweeping and waits for relays in flight (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopSweeping?.();
    await Promise.allSettled([...this.inFlight]);
    await this.index.flushReleases().catch((error: unknown) => this.logger.warn({ err: error }, 'could not write releases'));
  }

  /** Relays what records with old holds owe; returns how many events were published. */
  async sweep(): Promise<number> {
    const now = this.options.now();
    const stale = (await this.index.entries()).filter(({ entry }) =>
      Object.values(entry.holds).some((at) => at < now - this.options.leftoverAfterMs),
    );
    const claimed = new Set<string>();
    for (const shardKey of new Set(stale.map((s) => s.shardKey))) {
      if (await this.index.claim(shardKey, this.instance, now, this.options.relayTimeoutMs * 4)) claimed.add(shardKey);
    }
    const mine = stale.filter(({ shardKey }) => claimed.has(shardKey));
    let published = 0;
    for (let at = 0; at < mine.length; at += this.options.parallel) {
      const batch = mine.slice(at, at + this.options.parallel);
      const records = await this.store.readVersions(batch.map(({ recordKey }) => recordKey));
      const results = await Promise.allSettled(
        batch.map(({ recordKey, entry }) => this.settle(recordKey, entry, split(records.get(recordKey)?.value).outbox, now)),
      );
      for (const result of results) if (result.status === 'fulfilled') published += result.value;
    }
    if (published > 0) this.logger.info({ published, records: mine.length }, 'outbox sweep published leftovers');
    return published;
  }

  private async commit(read: OutboxRead<unknown>, value: object, options: WriteOptions): Promise<void> {
    options.beforeCommit?.();
    const ttl = options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {};
    await this.store.putAll([{ key: read.key, value, etag: read.etag, ...ttl }, ...(options.alsoWrite ?? [])]);
    options.afterCommit?.();
  }

  /** Publishes in order, stopping at the first failure (a later event must not overtake it), then releases. */
  private async relay(key: string, outbox: OutboxState, holdIds: string[], timeoutMs?: number): Promise<number> {
    let through = 0;
    try {
      for (const { seq, event } of outbox.pending) {
        await this.options.publish(event, timeoutMs ? { timeoutMs } : {});
        through = seq;
      }
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : error, key }, 'outbox relay failed; the sweep will publish it');
      return 0;
    }
    this.index.releaseSoon(key, holdIds, Math.max(through, outbox.lastSeq));
    return outbox.pending.length;
  }

  /** The sweep's relay: what the record owes past publishedThrough; holds old enough to be abandoned are dropped. */
  private async settle(
    key: string,
    entry: { holds: Record<string, number>; publishedThrough?: number },
    outbox: OutboxState,
    now: number,
  ): Promise<number> {
    const owed = { ...outbox, pending: outbox.pending.filter(({ seq }) => seq > (entry.publishedThrough ?? 0)) };
    const abandoned = Object.entries(entry.holds)
      .filter(([, at]) => at < now - this.options.abandonHoldAfterMs)
      .map(([id]) => id);
    if (owed.pending.length === 0 && abandoned.length === 0) return 0; // a live writer's hold, nothing owed yet
    return this.relay(key, owed, abandoned, this.options.relayTimeoutMs);
  }

  private track(relay: Promise<unknown>): Promise<void> {
    const done = relay.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return done;
  }
}

/** A stored record without its outbox bookkeeping, for readers that do not write. */
export function withoutOutbox<T>(stored: unknown): T | undefined {
  return split<T>(stored).value;
}

function split<T>(stored: unknown): { value: T | undefined; outbox: OutboxState } {
  if (stored === undefined || stored === null || typeof stored !== 'object') return { value: stored as T | undefined, outbox: NO_EVENTS };
  const { outbox, ...value } = stored as { outbox?: OutboxState };
  return { value: value as T, outbox: outbox ?? NO_EVENTS };
}
