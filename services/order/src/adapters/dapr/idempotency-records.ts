import { createHash } from 'node:crypto';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import type { IdempotencyKey, IdempotencyRecord, IdempotencyRecords } from '../../application/idempotency.js';

/** A key is answered the same way for a day at least; PostgreSQL (state.postgresql v1) drops it after. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Idempotency records in order's own `orderstore` beside the orders they answer, one state
 * key per account and key (hashed: the client chooses the key's characters), with Dapr's TTL.
 */
export class DaprIdempotencyRecords implements IdempotencyRecords {
  private readonly store: DaprStateStore<IdempotencyRecord>;

  constructor() {
    this.store = new DaprStateStore(Component.orderStore);
  }

  async create(key: IdempotencyKey, record: IdempotencyRecord): Promise<boolean> {
    try {
      await this.store.put(stateKey(key), record, undefined, { ttlSeconds: IDEMPOTENCY_TTL_SECONDS });
      return true;
    } catch (error) {
      // A first write on a taken key fails; PostgreSQL says "no item was updated" rather than an
      // ETag error, so look: if the key is there now, someone else (or our own lost reply) has it.
      if (await this.store.get(stateKey(key))) return false;
      throw error;
    }
  }

  async find(key: IdempotencyKey): Promise<{ record: IdempotencyRecord; version: string } | undefined> {
    const stored = await this.store.get(stateKey(key));
    return stored && { record: stored.value, version: stored.etag };
  }

  async replace(key: IdempotencyKey, record: IdempotencyRecord, version: string): Promise<boolean> {
    try {
      await this.store.put(stateKey(key), record, version, { ttlSeconds: IDEMPOTENCY_TTL_SECONDS });
      return true;
    } catch (error) {
      if (error instanceof ConcurrentWriteError) return false;
      throw error;
    }
  }
}

const stateKey = ({ accountId, key }: IdempotencyKey) =>
  `idempotency-${createHash('sha256')
    .update(JSON.stringify([accountId, key]))
    .digest('base64url')}`;
