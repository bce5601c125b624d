import { describe, expect, it } from 'vitest';
import { acceptOrder, CLOSED_MEMORY, decideCancellation, emptyQueue, KitchenRefusal, takeStep, TicketNotFound, WrongBranch, type StoreQueue } from '../src/domain/store-queue.js';

const now = new Date('2026-05-01T12:00:00Z');
const ticket = (orderId: string, storeId = 'gangnam') => ({
  orderId, storeId, customerId: 'kim', paymentId: `pay-${orderId}`, lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }], queuedAt: now.toISOString(),
});
const queueWith = (...orderIds: string[]): StoreQueue => orderIds.reduce((q, id) => acceptOrder(q, ticket(id)).queue, emptyQueue('gangnam'));

describe('a branch kitchen queue', () => {
  it('keeps tickets oldest first, each queued', () => {
    const queue = queueWith('a', 'b');
    expect(queue.tickets.map((t) => [t.orderId, t.status])).toEqual([['a', 'Queued'], ['b', 'Queued']]);
  });

  it('takes an order only once, and never takes back an order that left', () => {
    const once = acceptOrder(emptyQueue('gangnam'), ticket('a'));
    expect(acceptOrder(once.queue, ticket('a')).added).toBe(false);
    const cancelled = decideCancellation(once.queue, 'a', now);
    if (cancelled.verdict !== 'cancelled') throw new Error('expected cancellation');
    const replayed = acceptOrder(cancelled.queue, ticket('a'));
    expect(replayed.added).toBe(false);
    expect(replayed.queue.tickets).toHaveLength(0);
  });

  it('refuses another branch\'s order', () => {
    expect(() => acceptOrder(emptyQueue('gangnam'), ticket('a', 'jongno'))).toThrow(WrongBranch);
  });

  it('moves a ticket queued → cooking → in delivery → delivered (then it leaves the queue)', () => {
    let queue = queueWith('a');
    queue = takeStep(queue, 'a', 'startCooking', now).queue;
    expect(queue.tickets[0]!.status).toBe('Cooking');
    queue = takeStep(queue, 'a', 'startDelivery', now).queue;
    expect(queue.tickets[0]!.status).toBe('InDelivery');
    queue = takeStep(queue, 'a', 'markDelivered', now).queue;
    expect(queue.tickets).toHaveLength(0);
    expect(queue.closed.map((c) => [c.orderId, c.outcome])).toEqual([['a', 'Delivered']]);
  });

  it('treats a repeated step as done already, and refuses a step out of order', () => {
    const cooking = takeStep(queueWith('a'), 'a', 'startCooking', now).queue;
    expect(takeStep(cooking, 'a', 'startCooking', now).done).toBe(false);
    expect(() => takeStep(queueWith('a'), 'a', 'startDelivery', now)).toThrow(KitchenRefusal);
    expect(() => takeStep(queueWith('a'), 'x', 'startCooking', now)).toThrow(TicketNotFound);
  });

  it('forgets only the oldest closed orders, past a bound', () => {
    let queue = emptyQueue('gangnam');
    for (let i = 0; i <= CLOSED_MEMORY; i++) {
      queue = acceptOrder(queue, ticket(`o${i}`)).queue;
      const decision = decideCancellation(queue, `o${i}`, now);
      if (decision.verdict === 'cancelled') queue = decision.queue;
    }
    expect(queue.closed).toHaveLength(CLOSED_MEMORY);
    expect(queue.closed[0]!.orderId).toBe('o1');
  });
});

describe('the kitchen decides on cancellations', () => {
  it('cancels an order whose cooking has not started: the ticket leaves the queue', () => {
    const decision = decideCancellation(queueWith('a', 'b'), 'a', now);
    expect(decision.verdict).toBe('cancelled');
    if (decision.verdict === 'cancelled') expect(decision.queue.tickets.map((t) => t.orderId)).toEqual(['b']);
  });

  for (const [steps, reason] of [[['startCooking'], 'cooking has already started'], [['startCooking', 'startDelivery'], 'the order is out for delivery']] as const) {
    it(`rejects once ${reason}`, () => {
      let queue = queueWith('a');
      for (const step of steps) queue = takeStep(queue, 'a', step, now).queue;
      expect(decideCancellation(queue, 'a', now)).toMatchObject({ verdict: 'rejected', reason });
    });
  }

  it('and once cancelled, cooking is refused: never both', () => {
    const decision = decideCancellation(queueWith('a'), 'a', now);
    if (decision.verdict !== 'cancelled') throw new Error('expected cancellation');
    expect(() => takeStep(decision.queue, 'a', 'startCooking', now)).toThrow(/cancelled/);
    expect(decideCancellation(decision.queue, 'a', now)).toMatchObject({ verdict: 'cancelled', done: false });
  });

  it('does not know an order it never saw', () => {
    expect(decideCancellation(emptyQueue('gangnam'), 'a', now)).toEqual({ verdict: 'unknown' });
  });
});
