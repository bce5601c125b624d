import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AnyEvent } from '@burger/contracts';
import { ConcurrentWriteError, createLogger, Outbox, PendingIndex, type OutboxOptions } from '../src/index.js';
import { InMemoryVersionedStore } from '../src/testing.js';

process.env.LOG_LEVEL ??= 'silent';
const logger = createLogger('outbox-test');

function queued(orderId: string, type: 'OrderQueued' | 'CookingStarted' = 'OrderQueued'): AnyEvent {
  return { type, eventId: randomUUID(), occurredAt: new Date().toISOString(), version: 1, orderId, customerId: 'kim', storeId: 'gangnam' };
}

/** An outbox on an in-memory store whose broker can be switched off, with a clock the test moves. */
function setUp(options: OutboxOptions = {}) {
  const store = new InMemoryVersionedStore();
  const broker = { up: true, published: [] as AnyEvent[] };
  const clock = { now: 1_000_000 };
  const publish = async (event: AnyEvent) => {
    if (!broker.up) throw new Error('broker down');
    broker.published.push(event);
  };
  const outbox = new Outbox(store, logger, {
    publish,
    now: () => clock.now,
    leftoverAfterMs: 3_000,
    abandonHoldAfterMs: 60_000,
    ...options,
  });
  return { store, broker, clock, outbox };
}

async function writeTicket(outbox: Outbox, key: string, status: string, events: AnyEvent[]) {
  const read = await outbox.read<{ status: string }>(key);
  const { relayed } = await outbox.write(read, { status }, events);
  await relayed;
}

describe('Outbox', () => {
  it('writes the change with its event in one record, publishes it, and leaves no hold behind', async () => {
    const { store, broker, outbox } = setUp();
    const event = queued(randomUUID());
    await writeTicket(outbox, 'ticket-1', 'Queued', [event]);
    expect(broker.published).toEqual([event]);
    expect(store.valueOf<{ status: string }>('ticket-1')?.status).toBe('Queued');
    expect(await outbox.index.entries()).toEqual([]);
    expect((await outbox.read('ticket-1')).value).toEqual({ status: 'Queued' });
  });

  it("takes a record's shard as read with it only while no write of that shard began here since (no needless conflict)", async () => {
    const { store, outbox } = setUp();
    const keys = Array.from({ length: 200 }, (_, n) => `ticket-${n}`);
    const shardOf = (key: string) => outbox.index.shardKeyOf(key);
    const [a, b, c] = keys.filter((key) => shardOf(key) === shardOf(keys[0]!));
    const write = async (read: Awaited<ReturnType<typeof outbox.read>>) =>
      (await outbox.write(read, { status: 'Queued' }, [queued(randomUUID())])).relayed;
    await write(await outbox.read(a!)); // the shard is stored from here on
    const readB = await outbox.read(b!);
    const readC = await outbox.read(c!); // the same shard: stale once b's hold is written
    await write(readB);
    await write(readC);
    expect(store.conflicts).toBe(0);
    await outbox.stop();
    expect(await outbox.index.entries()).toEqual([]);
  });

  it('keeps what the broker refused and the sweep publishes it once the broker is back', async () => {
    const { broker, clock, outbox } = setUp();
    broker.up = false;
    const event = queued(randomUUID());
    await writeTicket(outbox, 'ticket-1', 'Queued', [event]);
    expect(await outbox.index.entries()).toHaveLength(1);
    broker.up = true;
    expect(await outbox.sweep()).toBe(0); // too young: its writer may still be relaying
    clock.now += 4_000;
    expect(await outbox.sweep()).toBe(1);
    expect(await outbox.sweep()).toBe(0); // published once, not every round
    expect(broker.published).toEqual([event]);
    clock.now += 60_000;
    await outbox.sweep();
    expect(await outbox.index.entries()).toEqual([]); // the dead writer's hold is dropped
  });

  it('never lets a later event of a record overtake an earlier one that is still owed', async () => {
    const { broker, outbox } = setUp();
    const orderId = randomUUID();
    const first = queued(orderId);
    const second = queued(orderId, 'CookingStarted');
    broker.up = false;
    await writeTicket(outbox, 'ticket-1', 'Queued', [first]);
    broker.up = true;
    await writeTicket(outbox, 'ticket-1', 'Cooking', [second]);
    expect(broker.published.map((e) => e.type)).toEqual(['OrderQueued', 'CookingStarted']);
  });

  it('stops at the first refused event: nothing after it goes out', async () => {
    const { store, clock, outbox } = setUp();
    const published: string[] = [];
    let refuse = 'CookingStarted';
    const picky = new Outbox(store, logger, {
      now: () => clock.now,
      publish: async (event) => {
        if (event.type === refuse) throw new Error('refused');
        published.push(event.type);
      },
    });
    const orderId = randomUUID();
    const read = await picky.read<{ status: string }>('ticket-1');
    await (await picky.write(read, { status: 'Cooking' }, [queued(orderId, 'CookingStarted'), queued(orderId)])).relayed;
    expect(published).toEqual([]);
    refuse = '';
    clock.now += 4_000;
    await picky.sweep();
    expect(published).toEqual(['CookingStarted', 'OrderQueued']);
    void outbox;
  });

  it('refuses a write over a stale version and lets go of its hold', async () => {
    const { outbox } = setUp();
    const stale = await outbox.read<{ status: string }>('ticket-1');
    await writeTicket(outbox, 'ticket-1', 'Queued', [queued(randomUUID())]);
    await expect(outbox.write(stale, { status: 'Queued' }, [queued(randomUUID())])).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect(await outbox.index.entries()).toEqual([]);
  });

  it('publishes a change whose commit answer was lost (it did commit)', async () => {
    const { store, broker, clock, outbox } = setUp();
    store.failAfterCommit = { key: 'ticket-1', error: new Error('connection reset') };
    const event = queued(randomUUID());
    const read = await outbox.read<{ status: string }>('ticket-1');
    await expect(outbox.write(read, { status: 'Queued' }, [event])).rejects.toThrow('connection reset');
    clock.now += 4_000;
    await outbox.sweep();
    expect(broker.published).toEqual([event]);
  });

  it('lets one sweeper at a time work on a shard, so replicas do not all relay the same leftovers', async () => {
    const { store, broker, clock, outbox } = setUp({ shards: 1 });
    const other = new Outbox(store, logger, {
      shards: 1,
      now: () => clock.now,
      publish: async (event) => void broker.published.push(event),
    });
    broker.up = false;
    for (let i = 0; i < 5; i++) await writeTicket(outbox, `ticket-${i}`, 'Queued', [queued(randomUUID())]);
    broker.up = true;
    clock.now += 4_000;
    const [mine, theirs] = await Promise.all([outbox.sweep(), other.sweep()]);
    expect(mine + theirs).toBe(5);
    expect(broker.published).toHaveLength(5);
  });

  it('finds leftovers by reading its index, not the history: the same reads after 2,000 orders as after none', async () => {
    const { store, outbox } = setUp({ shards: 16 });
    for (let i = 0; i < 2_000; i++) await writeTicket(outbox, `ticket-${i}`, 'Delivered', [queued(randomUUID())]);
    const before = store.keysRead;
    await outbox.sweep();
    expect(store.keysRead - before).toBe(16);
    await outbox.stop(); // writes the releases still waiting for a hold to ride on
    expect(store.records.size).toBe(2_000);
  }, 60_000); // 2,000 in-memory writes: well under a second alone, but not on a machine busy with other stacks

  it('lets go of a hold without a round trip of its own: the release rides on the next hold of its shard', async () => {
    const { store, outbox } = setUp({ shards: 1 });
    await writeTicket(outbox, 'ticket-a', 'Queued', [queued(randomUUID())]);
    const shard = outbox.index.allShardKeys()[0]!;
    expect(Object.keys(store.valueOf<{ entries: object }>(shard)!.entries)).toEqual(['ticket-a']); // written later
    expect(await outbox.index.entries()).toEqual([]); // but already let go of here
    const writes = spyOnWrites(store);
    await writeTicket(outbox, 'ticket-b', 'Queued', [queued(randomUUID())]);
    // One write of the shard (b's hold, carrying a's release) and one of the record: no release write for a.
    expect(writes.map((keys) => keys.join())).toEqual([shard, 'ticket-b']);
    expect(Object.keys(store.valueOf<{ entries: object }>(shard)!.entries)).toEqual(['ticket-b']);
    // No hold comes to carry b's release: it is written by itself within releaseWithinMs (1 s by default).
    await vi.waitFor(() => expect(store.valueOf(shard)).toBeUndefined(), { timeout: 3_000, interval: 50 });
    expect(writes).toHaveLength(3);
  });

  it('writes a release by itself when no hold comes to carry it within releaseWithinMs', async () => {
    const store = new InMemoryVersionedStore();
    const index = new PendingIndex(store, 'outbox', { shards: 1, releaseWithinMs: 20 });
    await index.hold('ticket-a', 'h1', Date.now());
    index.releaseSoon('ticket-a', ['h1'], 1);
    const [shard] = index.allShardKeys();
    expect(store.valueOf(shard!)).toBeDefined();
    await vi.waitFor(() => expect(store.valueOf(shard!)).toBeUndefined(), { timeout: 2_000, interval: 10 });
  });

  it('writes the releases waiting in many shards in one read and one transaction', async () => {
    const store = new InMemoryVersionedStore();
    const index = new PendingIndex(store, 'outbox', { shards: 16, releaseWithinMs: 20 });
    const records = Array.from({ length: 40 }, (_, i) => `ticket-${i}`);
    for (const record of records) await index.hold(record, 'h1', Date.now());
    const shards = new Set(records.map((record) => index.shardKeyOf(record)));
    expect(shards.size, 'the records spread over several shards').toBeGreaterThan(4);
    const [reads, writes] = [store.reads, spyOnWrites(store)];
    for (const record of records) index.releaseSoon(record, ['h1'], 1);
    await vi.waitFor(() => expect(store.records.size).toBe(0), { timeout: 2_000, interval: 10 });
    expect(store.reads - reads).toBe(1);
    expect(writes.map((keys) => new Set(keys))).toEqual([shards]);
  });

  it('writes them shard by shard when another writer changed one meanwhile, and loses neither', async () => {
    const store = new InMemoryVersionedStore();
    const index = new PendingIndex(store, 'outbox', { shards: 16 });
    const other = new PendingIndex(store, 'outbox', { shards: 16 }); // another replica
    const records = Array.from({ length: 10 }, (_, i) => `ticket-${i}`);
    for (const record of records) await index.hold(record, 'h1', Date.now());
    for (const record of records) index.releaseSoon(record, ['h1'], 1);
    const readVersions = store.readVersions.bind(store);
    store.readVersions = async (keys) => {
      const found = await readVersions(keys);
      store.readVersions = readVersions;
      await other.hold(records[0]!, 'h2', Date.now()); // lands between the bulk read and its transaction
      return found;
    };
    await index.flushReleases();
    expect((await index.entries()).map(({ recordKey, entry }) => [recordKey, Object.keys(entry.holds)])).toEqual([[records[0], ['h2']]]);
  });

  it('sweeps a record whose release was lost with its writer, and publishes it again under the same id', async () => {
    const { store, broker, clock, outbox } = setUp({ shards: 1 });
    await writeTicket(outbox, 'ticket-a', 'Queued', [queued(randomUUID())]);
    // A new process (the writer crashed before its release was written) finds a's hold and sees it owes nothing new.
    const restarted = new Outbox(store, logger, { shards: 1, now: () => clock.now, publish: async (e) => void broker.published.push(e) });
    clock.now += 4_000;
    expect((await restarted.index.entries()).map(({ recordKey }) => recordKey)).toEqual(['ticket-a']);
    await restarted.sweep();
    expect(broker.published.map(({ eventId }) => eventId)).toEqual([broker.published[0]!.eventId, broker.published[0]!.eventId]);
    await restarted.stop();
    // The hold stays until it counts as abandoned (a live writer could still own it), owing nothing meanwhile.
    expect((await restarted.index.entries()).map(({ entry }) => entry.publishedThrough)).toEqual([1]);
    clock.now += 60_000;
    await restarted.sweep();
    await restarted.stop();
    expect(await restarted.index.entries()).toEqual([]);
    expect(broker.published).toHaveLength(2);
  });
});

/** The keys of each putAll from now on. */
function spyOnWrites(store: InMemoryVersionedStore): string[][] {
  const writes: string[][] = [];
  const putAll = store.putAll.bind(store);
  store.putAll = async (batch) => {
    writes.push(batch.map(({ key }) => key));
    return putAll(batch);
  };
  return writes;
}
