import { describe, expect, it } from 'vitest';
import { emptyQueue, enqueue, WrongBranch, type StoreQueue } from '../src/domain/store-queue.js';
import { AcceptPaidOrder } from '../src/application/accept-paid-order.js';
import { QueueChangedMeanwhile, type StoreQueueRepository, type VersionedQueue } from '../src/application/ports.js';

const ticket = (orderId: string, storeId = 'gangnam') => ({ orderId, storeId, lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }], queuedAt: '2026-05-01T00:00:00.000Z' });

describe('a branch cooking queue', () => {
  it('keeps tickets oldest first', () => {
    let queue = emptyQueue('gangnam');
    queue = enqueue(queue, ticket('a')).queue;
    queue = enqueue(queue, ticket('b')).queue;
    expect(queue.tickets.map((t) => t.orderId)).toEqual(['a', 'b']);
  });

  it('takes an order only once', () => {
    const once = enqueue(emptyQueue('gangnam'), ticket('a'));
    const twice = enqueue(once.queue, ticket('a'));
    expect(twice.added).toBe(false);
    expect(twice.queue.tickets).toHaveLength(1);
  });

  it('refuses another branch\'s order', () => {
    expect(() => enqueue(emptyQueue('gangnam'), ticket('a', 'jongno'))).toThrow(WrongBranch);
  });
});

/** A versioned in-memory store whose first `conflicts` saves lose a race. */
class RacyQueues implements StoreQueueRepository {
  private stored?: { queue: StoreQueue; version: number };
  constructor(private conflicts: number) {}
  async load(storeId: string): Promise<VersionedQueue> {
    return this.stored ? { queue: this.stored.queue, version: String(this.stored.version) } : { queue: emptyQueue(storeId) };
  }
  async save(queue: StoreQueue, version: string | undefined) {
    if (this.conflicts > 0) {
      this.conflicts--;
      const rival = enqueue(this.stored?.queue ?? emptyQueue(queue.storeId), ticket(`rival-${this.conflicts}`)).queue;
      this.stored = { queue: rival, version: (this.stored?.version ?? 0) + 1 };
      throw new QueueChangedMeanwhile(queue.storeId);
    }
    if (version !== (this.stored ? String(this.stored.version) : undefined)) throw new QueueChangedMeanwhile(queue.storeId);
    this.stored = { queue, version: (this.stored?.version ?? 0) + 1 };
  }
  tickets() {
    return this.stored?.queue.tickets.map((t) => t.orderId) ?? [];
  }
}

describe('accepting a paid order', () => {
  const order = { orderId: 'mine', storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };

  it('re-reads and retries when another consumer wrote the queue first, losing nobody\'s ticket', async () => {
    const queues = new RacyQueues(2);
    const result = await new AcceptPaidOrder({ queues, clock: { now: () => new Date() } }).execute(order);
    expect(result.added).toBe(true);
    expect(queues.tickets().sort()).toEqual(['mine', 'rival-0', 'rival-1']);
  });

  it('gives up after repeated conflicts so the broker redelivers later', async () => {
    const queues = new RacyQueues(100);
    await expect(new AcceptPaidOrder({ queues, clock: { now: () => new Date() } }).execute(order)).rejects.toBeInstanceOf(QueueChangedMeanwhile);
  });

  it('ignores a redelivered order', async () => {
    const queues = new RacyQueues(0);
    const accept = new AcceptPaidOrder({ queues, clock: { now: () => new Date() } });
    await accept.execute(order);
    expect(await accept.execute(order)).toEqual({ added: false });
    expect(queues.tickets()).toEqual(['mine']);
  });
});
