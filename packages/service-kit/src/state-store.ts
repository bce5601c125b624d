import { StateConcurrencyEnum, StateConsistencyEnum, type DaprClient } from '@dapr/dapr';

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
 * The small part of Dapr's state API the services use, with ETags kept.
 * The SDK's `state.get` drops the ETag, so reads go through `getBulk`, and the
 * SDK returns `{ error }` instead of throwing on save/delete, so that is checked here.
 * Only key reads/writes and transactions: operations every store we deploy on
 * (PostgreSQL, Redis, MongoDB, SQLite) supports, so swapping a store is YAML only.
 */
export class DaprStateStore<T> {
  constructor(
    private readonly client: DaprClient,
    private readonly storeName: string,
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

  /** Writes `value`; with `etag` only if the stored version is still that one, without it only if the key is new. */
  async put(key: string, value: T, etag?: string): Promise<void> {
    const { error } = await this.client.state.save(this.storeName, [
      { key, value, ...(etag ? { etag } : {}), options: { concurrency: StateConcurrencyEnum.CONCURRENCY_FIRST_WRITE, consistency: StateConsistencyEnum.CONSISTENCY_STRONG } },
    ]);
    if (error) throw isEtagMismatch(error) ? new ConcurrentWriteError(key) : error;
  }
}

function isEtagMismatch(error: Error): boolean {
  // The sidecar answers 409 (ETag mismatch) or 400 (invalid ETag) with codes ERR_STATE_SAVE + an etag message.
  return /etag|"status":409/i.test(error.message);
}
