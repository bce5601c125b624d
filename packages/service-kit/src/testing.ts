import { randomUUID } from 'node:crypto';
import { LifecycleEvent } from '@burger/contracts';
import { ConcurrentWriteError } from './optimistic.js';
import type { StateWrite, Versioned, VersionedStore } from './state-store.js';

/**
 * An in-memory VersionedStore with the semantics the services rely on: ETags
 * that change on every write, first-write for a write without an ETag, and
 * all-or-nothing transactions. For unit tests only (`@burger/service-kit/testing`).
 */
export class InMemoryVersionedStore implements VersionedStore {
  readonly records = new Map<string, { value: unknown; etag: string; ttlSeconds?: number }>();
  reads = 0;
  keysRead = 0;
  /** Writes refused for an ETag (or first-write) mismatch. */
  conflicts = 0;
  private version = 0;
  /** Throws `error` (once) from the next putAll that writes `key`, *after* applying it: a commit whose answer was lost. */
  failAfterCommit: { key: string; error: Error } | undefined;

  async readVersions(keys: string[]): Promise<Map<string, Versioned<unknown>>> {
    this.reads += 1;
    this.keysRead += keys.length;
    const found = new Map<string, Versioned<unknown>>();
    for (const key of keys) {
      const record = this.records.get(key);
      if (record) found.set(key, { value: structuredClone(record.value), etag: record.etag });
    }
    return found;
  }

  async putAll(writes: StateWrite[]): Promise<void> {
    for (const write of writes) {
      const current = this.records.get(write.key);
      const matches = write.etag ? current?.etag === write.etag : 'remove' in write || !current;
      if (!matches) {
        this.conflicts += 1;
        throw new ConcurrentWriteError(write.key);
      }
    }
    for (const write of writes) {
      if ('remove' in write) this.records.delete(write.key);
      else
        this.records.set(write.key, {
          value: structuredClone(write.value),
          etag: String(++this.version),
          ...(write.ttlSeconds ? { ttlSeconds: write.ttlSeconds } : {}),
        });
    }
    const failure = this.failAfterCommit;
    if (failure && writes.some((write) => write.key === failure.key)) {
      this.failAfterCommit = undefined;
      throw failure.error;
    }
  }

  async get(key: string): Promise<Versioned<unknown> | undefined> {
    return (await this.readVersions([key])).get(key);
  }

  async put(key: string, value: unknown, etag?: string): Promise<void> {
    await this.putAll([{ key, value, etag }]);
  }

  valueOf<T>(key: string): T | undefined {
    return this.records.get(key)?.value as T | undefined;
  }
}

/** A valid lifecycle event of one order for unit tests: kim's order at gangnam, version 1, a fresh eventId; `extra` adds or overrides fields. */
export function lifecycleEventOf(orderId: string, type: string, extra: object = {}, occurredAt = new Date()): LifecycleEvent {
  return LifecycleEvent.parse({
    type,
    orderId,
    customerId: 'kim',
    storeId: 'gangnam',
    eventId: randomUUID(),
    occurredAt: occurredAt.toISOString(),
    version: 1,
    ...extra,
  });
}
