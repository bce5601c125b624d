import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrderCancellationRequested, OrderPlaced } from '@burger/contracts';
import { emptyQueue, type StoreQueue } from '../src/domain/store-queue.js';
import { AcceptPaidOrder } from '../src/application/accept-paid-order.js';
import { DecideCancellation, OrderNotYetInKitchen } from '../src/application/decide-cancellation.js';
import { KitchenSteps } from '../src/application/kitchen-steps.js';
import { QueueChangedMeanwhile, type KitchenAnnouncement, type StoreQueueRepository, type VersionedQueue } from '../src/application/ports.js';

/** A versioned in-memory queue store; `rivals` makes the next saves lose a race to another writer. */
class InMemoryQueues implements StoreQueueRepository {
  private stored = new Map<string, { queue: StoreQueue; version: number }>();
  rivals = 0;
  async load(storeId: string): Promise<VersionedQueue> {
    const entry = this.stored.get(storeId);
    return entry ? { queue: entry.queue, version: String(entry.version) } : { queue: emptyQueue(storeId) };
  }
  async save(queue: StoreQueue, version: string | undefined) {
    const entry = this.stored.get(queue.storeId);
    if (this.rivals > 0) {
      this.rivals--;
      this.stored.set(queue.storeId, { queue: entry?.queue ?? emptyQueue(queue.storeId), version: (entry?.version ?? 0) + 1 });
      throw new QueueChangedMeanwhile(queue.storeId);
    }
    if (version !== (entry ? String(entry.version) : undefined)) throw new QueueChangedMeanwhile(queue.storeId);
    this.stored.set(queue.storeId, { queue, version: (entry?.version ?? 0) + 1 });
  }
}

function setup() {
  const queues = new InMemoryQueues();
  const announced: KitchenAnnouncement[] = [];
  const deps = { queues, events: { announce: async (a: KitchenAnnouncement) => void announced.push(a) }, clock: { now: () => new Date() } };
  return { queues, announced, accept: new AcceptPaidOrder(deps), steps: new KitchenSteps(deps), decide: new DecideCancellation(deps) };
}

const orderId = randomUUID();
const envelope = { orderId, customerId: 'kim', storeId: 'gangnam', eventId: randomUUID(), occurredAt: new Date().toISOString(), version: 1 };
const placed = OrderPlaced.parse({ ...envelope, type: 'OrderPlaced', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }], totalCents: 5_900, paymentId: randomUUID() });
const cancelRequest = OrderCancellationRequested.parse({ ...envelope, eventId: randomUUID(), type: 'OrderCancellationRequested' });

describe('the kitchen use cases', () => {
  it('queues a paid order and announces it; a redelivery queues nothing but announces again', async () => {
    const { queues, announced, accept } = setup();
    expect(await accept.execute(placed)).toEqual({ added: true });
    expect(await accept.execute(placed)).toEqual({ added: false });
    expect((await queues.load('gangnam')).queue.tickets).toHaveLength(1);
    expect(announced.map((a) => a.type)).toEqual(['OrderQueued', 'OrderQueued']);
  });

  it('retries on a concurrent write and keeps the order', async () => {
    const { queues, accept } = setup();
    queues.rivals = 3;
    await accept.execute(placed);
    expect((await queues.load('gangnam')).queue.tickets.map((t) => t.orderId)).toEqual([orderId]);
  });

  it('announces each kitchen step', async () => {
    const { announced, accept, steps } = setup();
    await accept.execute(placed);
    await steps.execute('gangnam', orderId, 'startCooking');
    await steps.execute('gangnam', orderId, 'startDelivery');
    await steps.execute('gangnam', orderId, 'markDelivered');
    expect(announced.map((a) => a.type)).toEqual(['OrderQueued', 'CookingStarted', 'DeliveryStarted', 'OrderDelivered']);
  });

  it('cancels before cooking (with the payment to refund) and rejects after', async () => {
    const before = setup();
    await before.accept.execute(placed);
    expect(await before.decide.execute(cancelRequest)).toBe('cancelled');
    expect(before.announced.at(-1)).toMatchObject({ type: 'OrderCancelled', ticket: { paymentId: placed.paymentId } });

    const after = setup();
    await after.accept.execute(placed);
    await after.steps.execute('gangnam', orderId, 'startCooking');
    expect(await after.decide.execute(cancelRequest)).toBe('rejected');
    expect(after.announced.at(-1)).toMatchObject({ type: 'CancellationRejected', reason: 'cooking has already started' });
  });

  it('asks for redelivery of a cancellation for an order it has not seen', async () => {
    await expect(setup().decide.execute(cancelRequest)).rejects.toBeInstanceOf(OrderNotYetInKitchen);
  });
});
