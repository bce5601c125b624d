import { StateConcurrencyEnum, StateConsistencyEnum, type DaprClient } from '@dapr/dapr';
import type { OperationType } from '@dapr/dapr/types/Operation.type.js';

/** A value as read from a Dapr state store, with the ETag needed to write it back safely. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** Raised when an ETag no longer matches: someone else wrote first; re-read and retry. */
export class ConcurrentWriteError extends Error {
  constructor(readonly key: string) {
    super(`concurrent write on ${key}`);
  }
}

/**
 * One write of a state transaction: an upsert (`value`) or a removal (`remove`).
 * With `etag` only over that version; an upsert without it only if the key is new.
 */
export type StateWrite = { key: string; etag?: string | undefined } & ({ value: unknown; ttlSeconds?: number } | { remove: true });

/**
 * The two operations everything else is built from: versioned reads of several
 * keys in one round trip, and a set of writes in one state transaction. The
 * outbox and the pending index need no more, so an in-memory fake can stand in
 * for a sidecar in unit tests.
 */
export interface VersionedStore {
  readVersions(keys: string[]): Promise<Map<string, Versioned<unknown>>>;
  putAll(writes: StateWrite[]): Promise<void>;
}

const STRICT = { concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE, consistency: StateConsistencyEnum.CONSISTENCY_STRONG };

/**
 * The small part of Dapr's state API the services use, with ETags kept.
 * The SDK's `state.get` drops the ETag, so reads go through `getBulk`, and the
 * SDK returns `{ error }` instead of throwing on save/delete, so that is checked here.
 * Key reads/writes and transactions work on every store we deploy on
 * (PostgreSQL, Redis, MongoDB, SQLite), so swapping a store is YAML only.
 */
export class DaprStateStore<T> implements VersionedStore {
  constructor(
    private readonly client: DaprClient,
    readonly storeName: string,
  ) {}

  async get(key: string): Promise<Versioned<T> | undefined> {
    const [item] = await this.client.state.getBulk(this.storeName, [key]);
    if (!item || item.data === undefined || item.data === null || item.data === '') return undefined;
    return { value: item.data as T, etag: String(item.etag) };
  }

  /** Several keys in one round trip; missing keys are left out. */
  async getMany(keys: string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    const items = await this.client.state.getBulk(this.storeName, keys);
    return items.filter((item) => item.data !== undefined && item.data !== null && item.data !== '').map((item) => item.data as T);
  }

  /** Several keys with their ETags in one round trip; missing keys are left out. */
  async readVersions(keys: string[]): Promise<Map<string, Versioned<unknown>>> {
    const found = new Map<string, Versioned<unknown>>();
    if (keys.length === 0) return found;
    for (const item of await this.client.state.getBulk(this.storeName, keys)) {
      if (item.data !== undefined && item.data !== null && item.data !== '') found.set(item.key, { value: item.data, etag: String(item.etag) });
    }
    return found;
  }

  /**
   * Writes `value`; with `etag` only if the stored version is still that one, without it only if the key is new.
   * `ttlSeconds`: the store drops the key that long after this write (stores with Dapr's TTL feature).
   */
  async put(key: string, value: T, etag?: string, options: { ttlSeconds?: number } = {}): Promise<void> {
    const metadata = options.ttlSeconds ? { metadata: { ttlInSeconds: String(options.ttlSeconds) } } : {};
    const { error } = await this.client.state.save(this.storeName, [{ key, value, ...(etag ? { etag } : {}), ...metadata, options: STRICT }]);
    if (error) throw isEtagMismatch(error) ? new ConcurrentWriteError(key) : error;
  }

  /**
   * All writes or none (the store's own transaction); any ETag mismatch fails the whole set.
   * A single upsert goes through the save API instead: on Redis a transaction (a pipeline of independent scripts)
   * ignores first-write for a write without an ETag (it overwrites an existing key) and runs its EXPIRE even when
   * the ETag check failed, giving the winner's record the loser's TTL (components-contrib 1.18 state/redis `Multi`).
   * A plain save does neither, and means the same on every other store.
   */
  async putAll(writes: StateWrite[]): Promise<void> {
    const [only] = writes;
    if (writes.length === 1 && only && 'value' in only) return this.put(only.key, only.value as T, only.etag, only.ttlSeconds ? { ttlSeconds: only.ttlSeconds } : {});
    // The HTTP API takes the ETag as a plain string; the SDK's type ({ value }) is its gRPC shape, hence the cast.
    const operations = writes.map((write) => {
      // ttlInSeconds: the store forgets the key by itself (tombstones, idempotency records); every store we ship honours it.
      const ttl = 'value' in write && write.ttlSeconds ? { metadata: { ttlInSeconds: String(write.ttlSeconds) } } : {};
      const request = { key: write.key, ...('value' in write ? { value: write.value } : {}), ...(write.etag ? { etag: write.etag } : {}), ...ttl, options: STRICT };
      return { operation: 'value' in write ? 'upsert' : 'delete', request } as unknown as OperationType;
    });
    try {
      await this.client.state.transaction(this.storeName, operations);
    } catch (error) {
      throw error instanceof Error && isEtagMismatch(error) ? new ConcurrentWriteError(writes.map((w) => w.key).join(',')) : error;
    }
  }

  /** Removes the key; with `etag` only if it is still that version. */
  async delete(key: string, etag?: string): Promise<void> {
    const { error } = await this.client.state.delete(this.storeName, key, etag ? { etag } : undefined);
    if (error) throw isEtagMismatch(error) ? new ConcurrentWriteError(key) : error;
  }
}

/**
 * Whether a sidecar's error means "someone else wrote first" (retry on fresh data) rather than a failure.
 * The sidecar answers 409 (ETag mismatch) or 400 (invalid ETag) with ERR_STATE_SAVE and an etag message.
 * A first write (no ETag) on a key that exists is reported differently per store: Redis with a plain 500
 * "failed to set key … user_script", PostgreSQL v1 with "no item was updated" (its INSERT … ON CONFLICT DO
 * NOTHING touched no row: common/component/postgresql/v1 Set in components-contrib 1.18).
 */
export function isEtagMismatch(error: Error): boolean {
  return /etag|"status":409|failed to set key [^ ]+: ERR user_script|no item was updated/i.test(error.message);
}
