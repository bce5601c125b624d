import { randomUUID } from 'node:crypto';
import type { AnyEvent } from '@burger/contracts';
import { OrderCancellationRequested, OrderPlaced } from '@burger/contracts';
import { ConcurrentWriteError, createLogger, Outbox, type StateWrite } from '@burger/service-kit';
import { InMemoryVersionedStore } from '@burger/service-kit/testing';
import { AcceptPaidOrder } from '../src/application/accept-paid-order.js';
import { DecideCancellation } from '../src/application/decide-cancellation.js';
import { GetStoreQueue } from '../src/application/get-store-queue.js';
import { KitchenSteps } from '../src/application/kitchen-steps.js';
import { DaprBranchBoards } from '../src/adapters/dapr/branch-boards.js';
import { DaprKitchenTickets } from '../src/adapters/dapr/kitchen-tickets.js';

process.env.LOG_LEVEL ??= 'silent';

/**
 * The store's state as Dapr's Redis store would hold it, in memory: `rivals` makes the next
 * writes of a key lose a race to another replica (the key changes under the writer), and
 * `failNext` makes the next write of a key fail outright (a sidecar gone), before it commits.
 */
export class KitchenStore extends InMemoryVersionedStore {
  rivals = new Map<string, number>();
  failNext = new Set<string>();

  override async putAll(writes: StateWrite[]): Promise<void> {
    for (const { key } of writes) {
      if (this.failNext.delete(key)) throw new Error(`sidecar unreachable writing ${key}`);
      const rivals = this.rivals.get(key) ?? 0;
      if (rivals > 0) {
        this.rivals.set(key, rivals - 1);
        const record = this.records.get(key);
        if (record) this.records.set(key, { ...record, etag: `${record.etag}-rival` });
        throw new ConcurrentWriteError(key);
      }
    }
    await super.putAll(writes);
  }

  sizeOf(key: string): number {
    return Buffer.byteLength(JSON.stringify(this.records.get(key)?.value ?? null));
  }
}

/** The store service wired as main.ts wires it, on the in-memory store, with a broker that records what it gets. */
export function kitchen(clock = { now: () => new Date() }) {
  const store = new KitchenStore();
  const published: AnyEvent[] = [];
  const outbox = new Outbox(store, createLogger('store-test'), {
    publish: async (event) => void published.push(event),
    now: () => clock.now().getTime(),
  });
  const deps = { tickets: new DaprKitchenTickets(store, outbox, clock), boards: new DaprBranchBoards(store), clock };
  return {
    store,
    outbox,
    published,
    accept: new AcceptPaidOrder(deps),
    steps: new KitchenSteps(deps),
    decide: new DecideCancellation(deps),
    queue: new GetStoreQueue(deps),
    /** Waits for the relays in flight (what the broker has got by now). */
    relayed: () => outbox.stop(),
    publishedFor: (orderId: string) => published.filter((e) => 'orderId' in e && e.orderId === orderId).map((e) => e.type),
  };
}

export function placed(storeId = 'gangnam', orderId: string = randomUUID()): OrderPlaced {
  const envelope = {
    orderId,
    customerId: 'kim',
    storeId,
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    version: 1 as const,
  };
  return OrderPlaced.parse({
    ...envelope,
    type: 'OrderPlaced',
    lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
    totalCents: 5_900,
    paymentId: randomUUID(),
  });
}

export function cancelRequest(order: OrderPlaced): OrderCancellationRequested {
  const { orderId, customerId, storeId } = order;
  return OrderCancellationRequested.parse({
    orderId,
    customerId,
    storeId,
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    version: 1,
    type: 'OrderCancellationRequested',
  });
}
