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

  it('uses a known read only while no write to its key began in this process since its mark', async () => {
    const store = new InMemoryVersionedStore();
    await store.put('n', 1);
    const turns = new KeyedTurns();
    const counter = versioned<number>(store as never, { turns });
    const knownNow = async () => ({ mark: turns.mark('n'), read: await store.get('n') });

    const fresh = await knownNow();
    let reads = store.reads;
    await counter.update('n', (stored) => ({ write: (stored?.value ?? 0) + 1 }), fresh as never);
    expect(store.reads - reads).toBe(0);
    expect(store.valueOf('n')).toBe(2);

    // Stale: a write began after the mark, so the known read is ignored and the key read afresh (no lost update).
    const stale = await knownNow();
    await counter.update('n', (stored) => ({ write: (stored?.value ?? 0) + 1 }));
    reads = store.reads;
    await counter.update('n', (stored) => ({ write: (stored?.value ?? 0) + 1 }), stale as never);
    expect(store.reads - reads).toBe(1);
    expect(store.valueOf('n')).toBe(4);

    // A turn under way when the mark is taken may write after the read is answered: no mark, no known read.
    let release = (): void => undefined;
    const busy = turns.run('n', () => new Promise<void>((resolve) => (release = resolve)));
    const duringTurn = await knownNow();
    expect(duringTurn.mark).toBeUndefined();
    release();
    await busy;
    reads = store.reads;
    await counter.update('n', (stored) => ({ write: (stored?.value ?? 0) + 1 }), duringTurn as never);
    expect(store.reads - reads).toBe(1);
    expect(store.valueOf('n')).toBe(5);
  });

  it('still meets a write by another process since a known read as a conflict, and decides again on fresh data', async () => {
    const store = new InMemoryVersionedStore();
    await store.put('n', 1);
    const turns = new KeyedTurns();
    const known = { mark: turns.mark('n'), read: await store.get('n') };
    await store.put('n', 10, (await store.get('n'))?.etag); // another replica
    const seen: unknown[] = [];
    await versioned<number>(store as never, { turns }).update(
      'n',
      (stored) => (seen.push(stored?.value), { write: (stored?.value ?? 0) + 1 }),
      known as never,
    );
    expect(seen).toEqual([1, 10]);
    expect(store.valueOf('n')).toBe(11);
  });
});
