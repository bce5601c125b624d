import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Framework-free (importable from application layers as `@burger/service-kit/concurrency`).
 *
 * Writers to the same key from one process take turns: a burst for one hot key
 * (one branch's queue, one customer's index) then costs no conflicts inside a
 * replica, and ETags settle the rest between replicas.
 */
export class KeyedTurns {
  private readonly turns = new Map<string, Promise<unknown>>();
  /** Per key, the number of the last write begun in a turn (numbers grow for the whole process). */
  private readonly lastWrite = new Map<string, number>();
  private writes = 0;
  /** Keys forgotten to bound the map count as written at this number. */
  private forgottenAt = 0;

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const turn = (this.turns.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.turns.set(key, turn);
    try {
      return await turn;
    } finally {
      if (this.turns.get(key) === turn) this.turns.delete(key);
    }
  }

  /**
   * Taken right before reading `key` outside a turn (along with other keys, to save a round trip): undefined while
   * a turn on the key is under way or waiting, since a read issued now may miss that turn's write.
   */
  mark(key: string): WriteMark | undefined {
    return this.turns.has(key) ? undefined : { writes: this.writes };
  }

  /** Counts a write to `key` as begun (versioned calls it before writing: a write whose answer is lost counts too). */
  wrote(key: string): void {
    if (this.lastWrite.size >= 10_000) {
      this.lastWrite.clear();
      this.forgottenAt = this.writes;
    }
    this.lastWrite.set(key, ++this.writes);
  }

  /** True when no write to `key` began in this process since `mark`: a read issued after the mark is still current here. */
  unchangedSince(key: string, mark: WriteMark | undefined): boolean {
    return mark !== undefined && (this.lastWrite.get(key) ?? this.forgottenAt) <= mark.writes;
  }
}

/** Where a process's writes stood when a read was issued (KeyedTurns.mark). */
export interface WriteMark {
  readonly writes: number;
}

/** A read the caller already made (with other keys in one round trip), and the mark taken right before it. */
export interface KnownRead<R> {
  read: R;
  mark: WriteMark | undefined;
}

/**
 * The one conflict type: a versioned write found the record changed since it was read (someone else wrote
 * first; nothing was written). Stores raise it on an ETag mismatch, ports pass it on, `versioned` retries on it.
 */
export class ConcurrentWriteError extends Error {
  constructor(readonly key: string) {
    super(`concurrent write on ${key}`);
  }
}

/**
 * Where a versioned update reads and writes: `read` gives whatever the write needs to go over exactly that
 * version (a value and its ETag, a port's `{ order, version }` …); `write` puts `next` over it and throws
 * ConcurrentWriteError when someone wrote since.
 */
export interface VersionedRecords<R, W> {
  read(key: string): Promise<R>;
  write(key: string, next: W, read: R): Promise<void>;
}

/** What `decide` returns: `write` (absent: nothing changes), and anything else the caller wants back. */
export interface Decision<W> {
  write?: W | undefined;
}

export interface VersionedUpdates<R, W> {
  /**
   * `known` saves the first read when no write to the key began in this process since it was read (`turns`
   * required; without them it is ignored); another replica's write since is an ordinary conflict.
   */
  update<D extends Decision<W>>(key: string, decide: (read: R) => D | Promise<D>, known?: KnownRead<R>): Promise<D>;
}

/** A value as a store reads it, with the ETag a write must go over. */
export interface StoredVersion<T> {
  value: T;
  etag: string;
}

/** A store's plain keys (DaprStateStore has them): `put` with an ETag only over it, without one only if the key is new. */
export interface KeyRecords<T> {
  get(key: string): Promise<StoredVersion<T> | undefined>;
  put(key: string, value: T, etag?: string): Promise<void>;
}

function overKeys<T>(store: KeyRecords<T>): VersionedRecords<StoredVersion<T> | undefined, T> {
  return { read: (key) => store.get(key), write: (key, next, read) => store.put(key, next, read?.etag) };
}

export interface VersionedOptions {
  /** Conflicts tolerated before the ConcurrentWriteError reaches the caller (10 by default). */
  attempts?: number;
  /** Writers to one key from this process take turns here (see KeyedTurns), so a hot key costs no conflicts in a replica. */
  turns?: KeyedTurns;
}

/**
 * Load, decide, write with the version read; on a ConcurrentWriteError read again and decide again on fresh
 * data, with a growing random pause so competing replicas spread out, a bounded number of times.
 * `decide` is the business rule (pure, or doing work that must precede the write); a domain error it throws
 * ends the update as it is.
 */
export function versioned<T>(store: KeyRecords<T>, options?: VersionedOptions): VersionedUpdates<StoredVersion<T> | undefined, T>;
export function versioned<R, W>(records: VersionedRecords<R, W>, options?: VersionedOptions): VersionedUpdates<R, W>;
export function versioned<R, W>(source: VersionedRecords<R, W> | KeyRecords<W>, options: VersionedOptions = {}): VersionedUpdates<R, W> {
  const records = ('read' in source ? source : overKeys(source)) as VersionedRecords<R, W>;
  const attempts = options.attempts ?? 10;
  return {
    update<D extends Decision<W>>(key: string, decide: (read: R) => D | Promise<D>, known?: KnownRead<R>): Promise<D> {
      const { turns } = options;
      const once = async (): Promise<D> => {
        let given = known && turns?.unchangedSince(key, known.mark) ? known : undefined;
        for (let tries = 1; ; tries++) {
          try {
            const read = given ? given.read : await records.read(key);
            given = undefined;
            const decided = await decide(read);
            if (decided.write !== undefined) {
              turns?.wrote(key);
              await records.write(key, decided.write, read);
            }
            return decided;
          } catch (error) {
            if (!(error instanceof ConcurrentWriteError) || tries >= attempts) throw error;
            await sleep(Math.random() * 20 * tries);
          }
        }
      };
      return turns ? turns.run(key, once) : once();
    },
  };
}
