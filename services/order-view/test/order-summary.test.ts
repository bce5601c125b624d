import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '@burger/contracts';
import { lifecycleEventOf } from '@burger/service-kit/testing';
import { applyEvent, isPlaced, listLine, type OrderSummary } from '../src/domain/order-summary.js';
import { ProjectEvent } from '../src/application/project-event.js';
import { ConcurrentWriteError } from '@burger/service-kit/concurrency';
import type { ViewStorage } from '../src/application/ports.js';
import { EmitterViewChanges } from '../src/adapters/live-changes.js';

const orderId = randomUUID();
const paymentId = randomUUID();
let clock = Date.parse('2026-05-01T12:00:00Z');
const event = (type: string, extra: object = {}) => lifecycleEventOf(orderId, type, extra, new Date((clock += 1000)));

const placed = event('OrderPlaced', { lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }], totalCents: 5_900, paymentId });
const lifecycle = [
  placed,
  event('PaymentApproved', { paymentId, amountCents: 5_900 }),
  event('OrderQueued'),
  event('CookingStarted'),
  event('DeliveryStarted'),
];

function fold(events: LifecycleEvent[]): OrderSummary {
  return events.reduce<OrderSummary | undefined>((summary, e) => applyEvent(summary, e).summary, undefined)!;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('the order summary projection', () => {
  it('does not count a payment without OrderPlaced as an order (a charge refunded because its order was never stored)', () => {
    const orphan = fold([
      event('PaymentApproved', { paymentId, amountCents: 5_900 }),
      event('PaymentRefunded', { paymentId, amountCents: 5_900 }),
    ]);
    expect(isPlaced(orphan)).toBe(false);
    expect(isPlaced(fold([placed]))).toBe(true);
  });

  it('reaches the same summary whatever order the events arrive in (all 120 orders of 5 events)', () => {
    const expected = fold(lifecycle);
    expect(expected).toMatchObject({ status: 'InDelivery', totalCents: 5_900, paymentId, placedAt: placed.occurredAt });
    for (const order of permutations(lifecycle)) expect(fold(order)).toEqual(expected);
  });

  it('ignores a redelivered event', () => {
    const once = fold(lifecycle);
    expect(applyEvent(once, lifecycle[3]!)).toEqual({ summary: once, changed: false });
  });

  it('follows a cancellation: requested, then cancelled and refunded; or rejected with the reason', () => {
    const requested = fold([placed, event('OrderCancellationRequested')]);
    expect(requested).toMatchObject({ status: 'Paid', cancellationRequested: true });
    const cancelled = fold([
      placed,
      event('OrderCancellationRequested'),
      event('OrderCancelled', { paymentId }),
      event('PaymentRefunded', { paymentId, amountCents: 5_900 }),
    ]);
    expect(cancelled).toMatchObject({ status: 'Cancelled', cancellationRequested: false, refunded: true });
    const rejected = fold([
      placed,
      event('OrderCancellationRequested'),
      event('CancellationRejected', { reason: 'cooking has already started' }),
      event('CookingStarted'),
    ]);
    expect(rejected).toMatchObject({
      status: 'Cooking',
      cancellationRequested: false,
      cancellationRejectedReason: 'cooking has already started',
    });
  });
});

class InMemoryStorage implements ViewStorage {
  summaries = new Map<string, { value: OrderSummary; version: number }>();
  conflicts = 0;
  async summary(id: string) {
    const e = this.summaries.get(id);
    return e && { value: e.value, version: String(e.version) };
  }
  async saveSummary(summary: OrderSummary, version: string | undefined) {
    const e = this.summaries.get(summary.orderId);
    if (this.conflicts > 0 || (e ? String(e.version) : undefined) !== version) {
      this.conflicts = Math.max(0, this.conflicts - 1);
      throw new ConcurrentWriteError(summary.orderId);
    }
    this.summaries.set(summary.orderId, { value: summary, version: (e?.version ?? 0) + 1 });
  }
  /** Each customer's order ids, each held once (listOrder is safe to repeat, as the port says). */
  readonly listed = new Map<string, string[]>();
  /** A crash between the summary's write and the list's: the next listOrder fails once. */
  crashBeforeListing = false;
  async listOrder(customerId: string, orderId: string) {
    if (this.crashBeforeListing) {
      this.crashBeforeListing = false;
      throw new Error('killed -9');
    }
    const ids = this.listed.get(customerId) ?? [];
    if (!ids.includes(orderId)) this.listed.set(customerId, [orderId, ...ids]);
  }
  async customerOrders(customerId: string) {
    const ids = this.listed.get(customerId) ?? [];
    return { lines: ids.map((id) => listLine(this.summaries.get(id)!.value)) };
  }
}

describe('projecting events', () => {
  it('saves, lists and announces each real change once, retrying on concurrent writes', async () => {
    const storage = new InMemoryStorage();
    const changes = new EmitterViewChanges();
    const seen: string[] = [];
    changes.subscribe((s) => seen.push(s.status));
    const project = new ProjectEvent({ storage, changes });
    storage.conflicts = 2;
    await project.execute(placed);
    await project.execute(placed);
    await project.execute(lifecycle[3]!);
    expect(seen).toEqual(['Paid', 'Cooking']);
    expect((await storage.customerOrders('kim')).lines).toEqual([expect.objectContaining({ orderId, status: 'Cooking' })]);
    expect(storage.listed.get('kim'), 'listed once, however many events').toEqual([orderId]);
  });

  it('lists an order whose first OrderPlaced died between the summary and the list, when it is redelivered', async () => {
    const storage = new InMemoryStorage();
    const project = new ProjectEvent({ storage, changes: new EmitterViewChanges() });
    storage.crashBeforeListing = true;
    await expect(project.execute(placed)).rejects.toThrow('killed -9');
    expect(storage.summaries.get(orderId), 'the summary was written').toBeDefined();
    expect(await project.execute(placed)).toEqual({ changed: false });
    expect(storage.listed.get('kim')).toEqual([orderId]);
  });
});
