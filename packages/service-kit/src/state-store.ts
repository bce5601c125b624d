import { ConcurrentWriteError } from './optimistic.js';
import { ownSidecar, type SidecarAnswer, type SidecarTransport } from './sidecar.js';

/** A value as read from a Dapr state store, with the ETag needed to write it back safely. */
export interface Versioned<T> {
  value: T;
  etag: string;
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

/** Every write is first-write (an ETag, or else only a new key) and strongly consistent. */
const STRICT = { concurrency: 'first-write', consistency: 'strong' } as const;
const STATE_CALL_MS = 30_000; // longer than the sidecar's own budget for a store call (resiliency: 5 s × 4 tries)

/** A state item as the sidecar's bulk get answers it: `data` absent (or empty) for a missing key. */
interface BulkItem {
  key: string;
  data?: unknown;
  etag?: string;
  error?: string;
}

/**
 * The small part of Dapr's state API the services use, with ETags kept, over the sidecar's HTTP API
 * (sidecarRequest: one keep-alive pool per process; the SDK's client cost about twice the CPU per call).
 * Key reads/writes and transactions work on every store we deploy on
 * (PostgreSQL, Redis, MongoDB, SQLite), so swapping a store is YAML only.
 */
export class DaprStateStore<T> implements VersionedStore {
  private readonly base: string;

  constructor(
    readonly storeName: string,
    /** Whose sidecar: this app's own by default (a test seeding a store through another app's passes that one). */
    private readonly via?: SidecarTransport,
  ) {
    this.base = `/v1.0/state/${encodeURIComponent(storeName)}`;
  }

  async get(key: string): Promise<Versioned<T> | undefined> {
    return (await this.readVersions([key])).get(key) as Versioned<T> | undefined;
  }

  /** Several keys in one round trip; missing keys are left out. */
  async getMany(keys: string[]): Promise<T[]> {
    return [...(await this.readVersions(keys)).values()].map(({ value }) => value as T);
  }

  /** Several keys with their ETags in one round trip; missing keys are left out. */
  async readVersions(keys: string[]): Promise<Map<string, Versioned<unknown>>> {
    const found = new Map<string, Versioned<unknown>>();
    if (keys.length === 0) return found;
    const body = JSON.stringify({ keys, parallelism: Math.min(keys.length, 10) });
    const answer = await this.call('/bulk', body, 'bulk get');
    const items = JSON.parse(answer.text) as BulkItem[];
    for (const item of items) {
      if (item.error) throw new Error(`state bulk get on ${this.storeName}: ${item.key}: ${item.error}`);
      if (item.data !== undefined && item.data !== null && item.data !== '')
        found.set(item.key, { value: item.data, etag: String(item.etag) });
    }
    // Answered in the order asked, as the SDK did (callers may rely on it for getMany).
    return new Map(keys.filter((key) => found.has(key)).map((key) => [key, found.get(key)!]));
  }

  /**
   * Writes `value`; with `etag` only if the stored version is still that one, without it only if the key is new.
   * `ttlSeconds`: the store drops the key that long after this write (stores with Dapr's TTL feature).
   */
  async put(key: string, value: T, etag?: string, options: { ttlSeconds?: number } = {}): Promise<void> {
    const metadata = options.ttlSeconds ? { metadata: { ttlInSeconds: String(options.ttlSeconds) } } : {};
    await this.call('', JSON.stringify([{ key, value, ...(etag ? { etag } : {}), ...metadata, options: STRICT }]), 'save', key);
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
    if (writes.length === 1 && only && 'value' in only)
      return this.put(only.key, only.value as T, only.etag, only.ttlSeconds ? { ttlSeconds: only.ttlSeconds } : {});
    const operations = writes.map((write) => {
      // ttlInSeconds: the store forgets the key by itself (tombstones, idempotency records); every store we ship honours it.
      const ttl = 'value' in write && write.ttlSeconds ? { metadata: { ttlInSeconds: String(write.ttlSeconds) } } : {};
      const request = {
        key: write.key,
        ...('value' in write ? { value: write.value } : {}),
        ...(write.etag ? { etag: write.etag } : {}),
        ...ttl,
        options: STRICT,
      };
      return { operation: 'value' in write ? 'upsert' : 'delete', request };
    });
    await this.call('/transaction', JSON.stringify({ operations }), 'transaction', writes.map((w) => w.key).join(','));
  }

  /** Removes the key; with `etag` only if it is still that version. */
  async delete(key: string, etag?: string): Promise<void> {
    const query = `?concurrency=${STRICT.concurrency}&consistency=${STRICT.consistency}`;
    const answer = await this.sidecar().request('DELETE', `${this.base}/${encodeURIComponent(key)}${query}`, {
      ...(etag ? { headers: { 'if-match': etag } } : {}),
      timeoutMs: STATE_CALL_MS,
    });
    this.check(answer, 'delete', key);
  }

  /** One POST to the state API; an ETag conflict is a ConcurrentWriteError (on `keys`), any other failure an Error with the sidecar's answer. */
  private async call(path: string, body: string, what: string, keys = ''): Promise<SidecarAnswer> {
    return this.check(await this.sidecar().request('POST', `${this.base}${path}`, { body, timeoutMs: STATE_CALL_MS }), what, keys);
  }

  private sidecar(): SidecarTransport {
    return this.via ?? ownSidecar();
  }

  private check(answer: SidecarAnswer, what: string, keys: string): SidecarAnswer {
    if (answer.status < 300) return answer;
    const error = new Error(`state ${what} on ${this.storeName}: ${answer.status} ${answer.text.slice(0, 500)}`);
    throw answer.status === 409 || isEtagMismatch(error) ? new ConcurrentWriteError(keys) : error;
  }
}

/**
 * Whether a sidecar's error means "someone else wrote first" (retry on fresh data) rather than a failure.
 * The sidecar answers 409 (ETag mismatch) or 400 (invalid ETag) with ERR_STATE_SAVE and an etag message.
 * A first write (no ETag) on a key that exists is reported differently per store: Redis with a plain 500
 * "failed to set key … user_script", PostgreSQL v1 and v2 with "no item was updated" (its INSERT … ON CONFLICT DO
 * NOTHING touched no row: common/component/postgresql/v1 Set in components-contrib 1.18). A Redis transaction
 * passes the script's own error on without the word etag ("user_script:14: failed to set key …", state/redis Multi).
 * Every row, with its source: test/state-store.test.ts.
 */
export function isEtagMismatch(error: Error): boolean {
  return /etag|"status":409|failed to set key [^ ]+: ERR user_script|user_script:\d+: failed to (?:set key|delete) |no item was updated/i.test(
    error.message,
  );
}
