import { describe, expect, it } from 'vitest';
import { ConcurrentWriteError, KeyedTurns, versioned } from '../src/optimistic.js';
import { InMemoryVersionedStore } from '../src/testing.js';

/** One read-decide-write helper for every "load, decide, write with the ETag, retry on a conflict". */
describe('versioned(store).update', () => {
  it('writes what decide returns over the version read, and nothing when it returns no write', async () => {
    const store = new InMemoryVersionedStore();
    const counter = versioned<number>(store as never);
    expect(await counter.update('n', (stored) => ({ write: (stored?.value ?? 0) + 1, seen: stored?.value }))).toEqual({
      write: 1,
      seen: undefined,
    });
    await counter.update('n', () => ({}));
    expect(store.valueOf('n')).toBe(1);
  });

  it('decides again on fresh data after a conflict, a bounded number of times', async () => {
    const store = new InMemoryVersionedStore();
    await store.put('n', 0);
    let rivals = 2;
    const counter = versioned<number>({
      get: (key) => store.get(key) as never,
      put: async (key, value, etag) => {
        if (rivals-- > 0) await store.put(key, 100 + rivals, (await store.get(key))?.etag); // someone else writes first
        await store.put(key, value, etag);
      },
    });
    await counter.update('n', (stored) => ({ write: (stored?.value ?? 0) + 1 }));
    expect(store.valueOf('n')).toBe(101);
    rivals = Infinity;
    await expect(
      versioned<number>(
        { get: (k) => store.get(k) as never, put: async (k) => Promise.reject(new ConcurrentWriteError(k)) },
        { attempts: 3 },
      ).update('n', () => ({ write: 1 })),
    ).rejects.toBeInstanceOf(ConcurrentWriteError);
  });

  it('passes a domain error from decide on as it is, without retrying', async () => {
    let reads = 0;
    const records = { read: async () => ++reads, write: async () => undefined };
    await expect(versioned(records).update('k', () => Promise.reject(new RangeError('no such thing')))).rejects.toBeInstanceOf(RangeError);
    expect(reads).toBe(1);
  });

  it('lets writers to one key take turns in a process, so they do not conflict at all', async () => {
    const store = new InMemoryVersionedStore();
    let conflicts = 0;
    const counter = versioned<number>(
      {
        get: (key) => store.get(key) as never,
        put: (key, value, etag) => store.put(key, value, etag).catch((error: unknown) => Promise.reject((conflicts++, error))),
      },
      { turns: new KeyedTurns() },
    );
    await Promise.all(Array.from({ length: 20 }, () => counter.update('n', (stored) => ({ write: (stored?.value ?? 0) + 1 }))));
    expect(store.valueOf('n')).toBe(20);
    expect(conflicts).toBe(0);
  });
});
