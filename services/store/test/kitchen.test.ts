import { describe, expect, it } from 'vitest';
import { OrderNotYetInKitchen } from '../src/application/decide-cancellation.js';
import { ConcurrentWriteError } from '@burger/service-kit';
import { STRAY_PIN_GRACE_MS } from '../src/domain/branch-board.js';
import { CLOSED_TICKET_MEMORY_DAYS, type KitchenTicket } from '../src/domain/kitchen-ticket.js';
import { cancelRequest, kitchen, placed } from './support.js';

const TOMBSTONE_SECONDS = CLOSED_TICKET_MEMORY_DAYS * 86_400;

describe('the kitchen use cases, on the store as the service writes it', () => {
  it('queues a paid order: pinned on the board, one ticket, OrderQueued published; a redelivery writes and publishes nothing', async () => {
    const k = kitchen();
    const order = placed();
    expect(await k.accept.execute(order)).toEqual({ added: true });
    const writes = k.store.records.get(`ticket-${order.orderId}`)!.etag;
    expect(await k.accept.execute(order)).toEqual({ added: false });
    await k.relayed();
    expect(k.store.records.get(`ticket-${order.orderId}`)!.etag).toBe(writes);
    expect(k.store.valueOf<{ open: Record<string, number> }>('branch-gangnam')!.open).toHaveProperty(order.orderId);
    expect(k.publishedFor(order.orderId)).toEqual(['OrderQueued']);
    const queue = await k.queue.execute('gangnam');
    expect(queue.tickets.map((t) => [t.orderId, t.status])).toEqual([[order.orderId, 'Queued']]);
  });

  it('decides again on fresh data when another replica wrote first, and keeps the order once', async () => {
    const k = kitchen();
    const order = placed();
    k.store.rivals.set('branch-gangnam', 3);
    await k.accept.execute(order);
    k.store.rivals.set(`ticket-${order.orderId}`, 2);
    await k.steps.execute('gangnam', order.orderId, 'startCooking');
    await k.relayed();
    expect((await k.queue.execute('gangnam')).tickets.map((t) => [t.orderId, t.status])).toEqual([[order.orderId, 'Cooking']]);
    expect(k.publishedFor(order.orderId)).toEqual(['OrderQueued', 'CookingStarted']);
  });

  it('announces each step in order; a delivered ticket leaves the board and stays as a tombstone with a TTL', async () => {
    const k = kitchen();
    const order = placed();
    await k.accept.execute(order);
    for (const step of ['startCooking', 'startDelivery', 'markDelivered', 'markDelivered'] as const)
      await k.steps.execute('gangnam', order.orderId, step);
    await k.relayed();
    expect(k.publishedFor(order.orderId)).toEqual(['OrderQueued', 'CookingStarted', 'DeliveryStarted', 'OrderDelivered']);
    const tombstone = k.store.records.get(`ticket-${order.orderId}`)!;
    expect(tombstone).toMatchObject({ value: { status: 'Delivered' }, ttlSeconds: TOMBSTONE_SECONDS });
    expect(k.store.valueOf<{ open: object }>('branch-gangnam')!.open).toEqual({});
    expect((await k.queue.execute('gangnam')).tickets).toEqual([]);
  });

  it('cancels before cooking (with the payment to refund) and rejects after, each verdict written once on the ticket', async () => {
    const before = kitchen();
    const early = placed();
    await before.accept.execute(early);
    expect(await before.decide.execute(cancelRequest(early))).toBe('cancelled');
    expect(await before.decide.execute(cancelRequest(early))).toBe('cancelled');
    await before.relayed();
    expect(before.published.at(-1)).toMatchObject({ type: 'OrderCancelled', paymentId: early.paymentId });
    expect(before.publishedFor(early.orderId)).toEqual(['OrderQueued', 'OrderCancelled']);
    expect(before.store.records.get(`ticket-${early.orderId}`)).toMatchObject({
      value: { status: 'Cancelled' },
      ttlSeconds: TOMBSTONE_SECONDS,
    });
    expect((await before.queue.execute('gangnam')).tickets).toEqual([]);
    await expect(before.steps.execute('gangnam', early.orderId, 'startCooking')).rejects.toThrow(/cancelled/);

    const after = kitchen();
    const late = placed();
    await after.accept.execute(late);
    await after.steps.execute('gangnam', late.orderId, 'startCooking');
    expect(await after.decide.execute(cancelRequest(late))).toBe('rejected');
    await after.relayed();
    expect(after.published.at(-1)).toMatchObject({ type: 'CancellationRejected', reason: 'cooking has already started' });
    expect((await after.queue.execute('gangnam')).tickets.map((t) => t.status)).toEqual(['Cooking']);
  });

  it('writes a decision only over the version it was taken on: a cancellation read before cooking started cannot win', async () => {
    const k = kitchen();
    const order = placed();
    await k.accept.execute(order);
    const { DaprKitchenTickets } = await import('../src/adapters/dapr/kitchen-tickets.js');
    const tickets = new DaprKitchenTickets(k.store, k.outbox);
    const stale = await tickets.read(order.orderId);
    await k.steps.execute('gangnam', order.orderId, 'startCooking');
    const cancelled = { ...(stale.ticket as KitchenTicket), status: 'Cancelled' as const };
    await expect(tickets.write(stale, { ticket: cancelled, announces: { type: 'OrderCancelled' } })).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    expect(k.store.valueOf<KitchenTicket>(`ticket-${order.orderId}`)!.status).toBe('Cooking');
  });

  it('asks for redelivery of a cancellation for an order it has not seen', async () => {
    await expect(kitchen().decide.execute(cancelRequest(placed()))).rejects.toBeInstanceOf(OrderNotYetInKitchen);
  });

  it('reads the board with the ticket: a new order costs one read, and orders accepted at once lose no pin and meet no conflict', async () => {
    const k = kitchen();
    await k.accept.execute(placed()); // the board exists from here on
    let ticketOrBoardReads = 0; // the outbox's relay reads its pending index meanwhile: not counted
    const readVersions = k.store.readVersions.bind(k.store);
    k.store.readVersions = (keys) => (
      (ticketOrBoardReads += Number(keys.some((key) => /^(ticket|branch)-/.test(key)))), readVersions(keys)
    );
    await k.accept.execute(placed());
    expect(ticketOrBoardReads).toBe(1);

    const conflictsBefore = k.store.conflicts;
    const together = Array.from({ length: 12 }, () => placed());
    await Promise.all(together.map((order) => k.accept.execute(order)));
    expect(k.store.conflicts - conflictsBefore).toBe(0);
    const open = k.store.valueOf<{ open: Record<string, number> }>('branch-gangnam')!.open;
    for (const order of together) expect(open).toHaveProperty(order.orderId);
  });

  it('takes a board written by another replica since it was read as an ordinary conflict: read again, the pin kept', async () => {
    const k = kitchen();
    const first = placed();
    await k.accept.execute(first);
    k.store.rivals.set('branch-gangnam', 1);
    const second = placed();
    expect(await k.accept.execute(second)).toEqual({ added: true });
    expect(k.store.rivals.get('branch-gangnam')).toBe(0);
    expect(Object.keys(k.store.valueOf<{ open: object }>('branch-gangnam')!.open).sort()).toEqual([first.orderId, second.orderId].sort());
  });

  it("finds only its own branch's orders for a kitchen step", async () => {
    const k = kitchen();
    const order = placed('jongno');
    await k.accept.execute(order);
    await expect(k.steps.execute('gangnam', order.orderId, 'startCooking')).rejects.toThrow(/not in gangnam/);
  });

  it('a crash between pin and ticket leaves a pin that readers skip; the redelivered order completes the accept', async () => {
    const clock = { now: () => new Date() };
    const k = kitchen(clock);
    const order = placed();
    k.store.failNext.add(`ticket-${order.orderId}`);
    await expect(k.accept.execute(order)).rejects.toThrow(/unreachable/);
    expect(k.store.valueOf<{ open: object }>('branch-gangnam')!.open).toHaveProperty(order.orderId);
    expect((await k.queue.execute('gangnam')).tickets).toEqual([]);
    expect(k.store.valueOf<{ open: object }>('branch-gangnam')!.open).toHaveProperty(order.orderId); // young: an accept may be under way

    expect(await k.accept.execute(order)).toEqual({ added: true });
    expect((await k.queue.execute('gangnam')).tickets.map((t) => t.orderId)).toEqual([order.orderId]);

    // An order that never comes back (dead-lettered): its pin is cleared once the grace is over.
    const lost = placed();
    k.store.failNext.add(`ticket-${lost.orderId}`);
    await k.accept.execute(lost).catch(() => undefined);
    const later = Date.now() + STRAY_PIN_GRACE_MS + 1_000;
    clock.now = () => new Date(later);
    await k.queue.execute('gangnam');
    expect(Object.keys(k.store.valueOf<{ open: object }>('branch-gangnam')!.open)).toEqual([order.orderId]);
  });

  it('never takes back an order replayed after more than 1,000 newer orders closed at its branch', async () => {
    const k = kitchen();
    const first = placed();
    await k.accept.execute(first);
    await k.decide.execute(cancelRequest(first));
    for (let i = 0; i < 1_001; i++) await closeOne(k, i);
    await k.relayed();
    const publishedBefore = k.published.length;
    expect(await k.accept.execute(first)).toEqual({ added: false });
    await k.relayed();
    expect(k.published.length).toBe(publishedBefore);
    expect((await k.queue.execute('gangnam')).tickets).toEqual([]);
    expect(k.store.valueOf<KitchenTicket>(`ticket-${first.orderId}`)!.status).toBe('Cancelled');
  }, 120_000);

  it("keeps the branch's hot record under 10 KB however many orders it served (3,000 here, up to 40 open at once)", async () => {
    const k = kitchen();
    const open: string[] = [];
    let largest = 0;
    for (let i = 0; i < 3_000; i++) {
      const order = placed();
      await k.accept.execute(order);
      open.push(order.orderId);
      if (open.length === 40) for (const orderId of open.splice(0, 20)) await close(k, orderId, i);
      largest = Math.max(largest, k.store.sizeOf('branch-gangnam'));
    }
    await k.relayed();
    const everyRecord = Math.max(...[...k.store.records.keys()].map((key) => k.store.sizeOf(key)));
    console.log(
      `branch-gangnam after 3,000 orders (${open.length} open): ${k.store.sizeOf('branch-gangnam')} B, largest ever ${largest} B; largest record of any kind ${everyRecord} B`,
    );
    expect(largest).toBeLessThan(10_000);
    expect(everyRecord).toBeLessThan(10_000);
    // Reading the queue costs the board plus the open tickets, not the history.
    const keysBefore = k.store.keysRead;
    expect((await k.queue.execute('gangnam')).tickets).toHaveLength(open.length);
    expect(k.store.keysRead - keysBefore).toBe(1 + open.length);
  }, 120_000);
});

type Kitchen = ReturnType<typeof kitchen>;

/** Closes an open order: most are cancelled (one write), every fourth is cooked and delivered. */
async function close(k: Kitchen, orderId: string, i: number): Promise<void> {
  if (i % 4 !== 0) return void (await k.decide.execute(cancelRequest({ ...placed(), orderId })));
  for (const step of ['startCooking', 'startDelivery', 'markDelivered'] as const) await k.steps.execute('gangnam', orderId, step);
}

async function closeOne(k: Kitchen, i: number): Promise<void> {
  const order = placed();
  await k.accept.execute(order);
  await close(k, order.orderId, i);
}
