/**
 * What the twin's state drivers do: the part of Dapr's state API the apps use (reads of several keys with
 * their ETags; writes with first-write concurrency and TTLs, alone or as one transaction), on the store's
 * own client library. Values travel as JSON text, as they do between an app and daprd.
 */
export interface StoredItem {
  key: string;
  /** The value as JSON text. */
  json: string;
  etag: string;
}

export type StateOp =
  | { kind: 'upsert'; key: string; json: string; etag?: string | undefined; firstWrite: boolean; ttlSeconds?: number | undefined }
  | { kind: 'delete'; key: string; etag?: string | undefined };

export interface StateDriver {
  /** The keys found (expired ones are not). */
  read(keys: string[]): Promise<StoredItem[]>;
  /** All of `ops` or none; an ETag that does not match, or a first write on a key that exists, is an EtagConflict. */
  apply(ops: StateOp[]): Promise<void>;
  close(): Promise<void>;
}

/** Someone else wrote first: daprd answers this with 409 (ERR_STATE_SAVE, "etag mismatch"). */
export class EtagConflict extends Error {
  constructor(key: string) {
    super(`possible etag mismatch on ${key}`);
  }
}

/** Whether a write must see a given version (etag), or no version at all (first write of a new key). */
export const mustBeNew = (op: StateOp) => op.kind === 'upsert' && !op.etag && op.firstWrite;
