import { describe, expect, it } from 'vitest';
import { emptyBoard, pin, queueOf, STRAY_PIN_GRACE_MS, strayPins, unpin } from '../src/domain/branch-board.js';
import {
  acceptOrder,
  decideCancellation,
  isOpen,
  KitchenRefusal,
  takeStep,
  TicketNotFound,
  type KitchenStep,
  type KitchenTicket,
} from '../src/domain/kitchen-ticket.js';

const now = new Date('2026-05-01T12:00:00Z');
const order = (orderId: string, storeId = 'gangnam') => ({
  orderId,
  storeId,
  customerId: 'kim',
  paymentId: `pay-${orderId}`,
  lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
});
const queued = (orderId: string, storeId = 'gangnam') => acceptOrder(undefined, order(orderId, storeId), now).ticket;
const after = (ticket: KitchenTicket, ...steps: KitchenStep[]) =>
  steps.reduce((t, step) => takeStep(t, t.storeId, step, now).ticket, ticket);

describe('a kitchen ticket', () => {
  it('opens queued for a paid order, announcing OrderQueued', () => {
    const accepted = acceptOrder(undefined, order('a'), now);
    expect(accepted.ticket).toMatchObject({ orderId: 'a', storeId: 'gangnam', status: 'Queued', queuedAt: now.toISOString() });
    expect(accepted.change).toEqual({ ticket: accepted.ticket, announces: { type: 'OrderQueued' } });
  });

  it('takes an order once, and never takes back an order that left, however it left', () => {
    expect(acceptOrder(queued('a'), order('a'), now).change).toBeUndefined();
    const cancelled = decideCancellation(queued('a'), now);
    expect(cancelled.verdict).toBe('cancelled');
    const closed = [
      cancelled.verdict === 'cancelled' ? cancelled.ticket : undefined,
      after(queued('b'), 'startCooking', 'startDelivery', 'markDelivered'),
    ];
    for (const ticket of closed) {
      const replayed = acceptOrder(ticket, order(ticket!.orderId), now);
      expect(replayed.change).toBeUndefined();
      expect(isOpen(replayed.ticket)).toBe(false);
    }
  });

  it('moves queued → cooking → in delivery → delivered, each step announced; delivered closes it', () => {
    let ticket = queued('a');
    const announced: string[] = [];
    for (const step of ['startCooking', 'startDelivery', 'markDelivered'] as const) {
      const moved = takeStep(ticket, 'gangnam', step, now);
      announced.push(moved.change!.announces.type);
      ticket = moved.ticket;
    }
    expect(announced).toEqual(['CookingStarted', 'DeliveryStarted', 'OrderDelivered']);
    expect(ticket).toMatchObject({ status: 'Delivered', closedAt: now.toISOString() });
    expect(isOpen(ticket)).toBe(false);
  });

  it('treats a repeated step as done already (nothing to write), and refuses a step out of order', () => {
    const cooking = after(queued('a'), 'startCooking');
    expect(takeStep(cooking, 'gangnam', 'startCooking', now)).toEqual({ ticket: cooking });
    const delivered = after(cooking, 'startDelivery', 'markDelivered');
    expect(takeStep(delivered, 'gangnam', 'markDelivered', now).change).toBeUndefined();
    expect(() => takeStep(delivered, 'gangnam', 'startCooking', now)).toThrow(/already delivered/);
    expect(() => takeStep(queued('a'), 'gangnam', 'startDelivery', now)).toThrow(KitchenRefusal);
  });

  it("is found only in its own branch's kitchen", () => {
    expect(() => takeStep(undefined, 'gangnam', 'startCooking', now)).toThrow(TicketNotFound);
    expect(() => takeStep(queued('a', 'jongno'), 'gangnam', 'startCooking', now)).toThrow(TicketNotFound);
  });
});

describe('the kitchen decides on cancellations', () => {
  it('cancels an order whose cooking has not started: the ticket closes, announcing OrderCancelled', () => {
    const decision = decideCancellation(queued('a'), now);
    expect(decision).toMatchObject({
      verdict: 'cancelled',
      ticket: { status: 'Cancelled', closedAt: now.toISOString() },
      change: { announces: { type: 'OrderCancelled' } },
    });
  });

  for (const [steps, reason] of [
    [['startCooking'], 'cooking has already started'],
    [['startCooking', 'startDelivery'], 'the order is out for delivery'],
    [['startCooking', 'startDelivery', 'markDelivered'], 'the order was already delivered'],
  ] as const) {
    it(`rejects once ${reason}, and writes the verdict so it is given once`, () => {
      const decision = decideCancellation(after(queued('a'), ...steps), now);
      expect(decision).toMatchObject({ verdict: 'rejected', reason, change: { announces: { type: 'CancellationRejected', reason } } });
      if (decision.verdict !== 'rejected') throw new Error('expected a rejection');
      expect(decideCancellation(decision.ticket, now)).toEqual({ verdict: 'rejected', ticket: decision.ticket, reason });
    });
  }

  it('and once cancelled, cooking is refused: never both', () => {
    const decision = decideCancellation(queued('a'), now);
    if (decision.verdict !== 'cancelled') throw new Error('expected cancellation');
    expect(() => takeStep(decision.ticket, 'gangnam', 'startCooking', now)).toThrow(/cancelled/);
    expect(decideCancellation(decision.ticket, now)).toEqual({ verdict: 'cancelled', ticket: decision.ticket });
  });

  it('does not know an order it never saw', () => {
    expect(decideCancellation(undefined, now)).toEqual({ verdict: 'unknown' });
  });
});

describe('a branch board', () => {
  it('pins an order once (unless renewed) and unpins it', () => {
    const board = pin(emptyBoard('gangnam'), 'a', 1, { refresh: false })!;
    expect(board.open).toEqual({ a: 1 });
    expect(pin(board, 'a', 2, { refresh: false })).toBeUndefined();
    expect(pin(board, 'a', 2, { refresh: true })!.open).toEqual({ a: 2 });
    expect(unpin(board, ['a'])!.open).toEqual({});
    expect(unpin(board, ['b'])).toBeUndefined();
  });

  it('shows open tickets oldest first; closed, foreign and missing ones are skipped', () => {
    const early = { ...queued('b'), queuedAt: '2026-05-01T11:00:00.000Z' };
    const closed = after(queued('c'), 'startCooking', 'startDelivery', 'markDelivered');
    const board = ['a', 'b', 'c', 'd', 'x'].reduce((b, id) => pin(b, id, now.getTime(), { refresh: false })!, emptyBoard('gangnam'));
    expect(queueOf(board, [queued('a'), early, closed, queued('x', 'jongno')]).map((t) => t.orderId)).toEqual(['b', 'a']);
  });

  it('lets readers clear closed tickets at once, and pins without a ticket only after the grace (an accept may be under way)', () => {
    const closed = after(queued('c'), 'startCooking', 'startDelivery', 'markDelivered');
    const board = { storeId: 'gangnam', open: { a: 0, c: 0, young: 1_000_000, old: 1_000_000 - STRAY_PIN_GRACE_MS - 1 } };
    expect(strayPins(board, [queued('a'), closed], 1_000_000).sort()).toEqual(['c', 'old']);
  });
});
