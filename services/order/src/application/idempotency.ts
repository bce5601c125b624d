import { createHash } from 'node:crypto';
import type { OrderSnapshot } from '../domain/order.js';

/**
 * Port: what order remembers about each Idempotency-Key (or gRPC request id), per account.
 * A key first used by kim means nothing for lee: records are found by both.
 */
export interface IdempotencyRecords {
  /** Stores the record unless this account's key already has one: false then. */
  create(key: IdempotencyKey, record: IdempotencyRecord): Promise<boolean>;
  find(key: IdempotencyKey): Promise<{ record: IdempotencyRecord; version: string } | undefined>;
  /** Writes if nobody wrote since `version`; false if someone did. */
  replace(key: IdempotencyKey, record: IdempotencyRecord, version: string): Promise<boolean>;
}

export interface IdempotencyKey {
  accountId: string;
  key: string;
}

export interface IdempotencyRecord {
  /** The command the key was first used with (a hash): another command under the same key is refused. */
  fingerprint: string;
  /** The attempt that holds the key; another takes over only once `leaseUntil` has passed. */
  attemptId: string;
  /** Placing: the id reserved for the attempt (its charge and order go under it). Cancelling: the order. */
  orderId: string;
  leaseUntil: string;
  /** The first answer, once there is one that bears repeating; absent while the attempt runs. */
  outcome?: IdempotentOutcome;
}

/** Final answers, replayed as they were: an order (201 / 202) or pay's refusal (402). */
export type IdempotentOutcome = { kind: 'order'; order: OrderSnapshot } | { kind: 'declined'; reason: string };

/** The same key was sent before with another request body. */
export class IdempotencyKeyReused extends Error {
  constructor() {
    super('This Idempotency-Key was already used for a different request; send a new key for a new request');
  }
}

/** The first request with this key is still running: its answer is not known yet. */
export class IdempotencyKeyInUse extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('A request with this Idempotency-Key is still being processed; retry shortly with the same key');
  }
}

/** A command in one canonical form (fixed field order, absent = null), hashed. */
export function fingerprintOf(operation: 'place-order' | 'cancel-order', fields: Record<string, unknown>): string {
  const canonical = JSON.stringify([
    operation,
    ...Object.keys(fields)
      .sort()
      .map((name) => [name, fields[name] ?? null]),
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}
