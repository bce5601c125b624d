/**
 * One order in a branch's kitchen: its ticket. The store is the single
 * authority on "has cooking started?", so the decision on a cancellation and
 * every kitchen step are taken on the same ticket (one optimistic write each):
 * a cancellation and the start of cooking cannot both win.
 *
 * A closed ticket (cancelled or delivered) is kept as a tombstone for
 * CLOSED_TICKET_MEMORY_DAYS, so a late or replayed message cannot bring the
 * order back into the kitchen, however many orders the branch closed since.
 */
export type OpenStatus = 'Queued' | 'Cooking' | 'InDelivery';
export type ClosedStatus = 'Cancelled' | 'Delivered';
export type TicketStatus = OpenStatus | ClosedStatus;

export interface PaidOrder {
  readonly orderId: string;
  readonly storeId: string;
  readonly customerId: string;
  readonly paymentId: string;
  readonly lines: readonly { readonly menuItemId: string; readonly quantity: number }[];
}

export interface KitchenTicket extends PaidOrder {
  readonly status: TicketStatus;
  readonly queuedAt: string;
  readonly closedAt?: string;
  /** The kitchen's answer to a cancellation it refused: it gives one verdict per order. */
  readonly cancellationRefused?: string;
}

export interface OpenTicket extends KitchenTicket {
  readonly status: OpenStatus;
}

/** How long a closed order is remembered: far longer than any broker redelivery or replay. */
export const CLOSED_TICKET_MEMORY_DAYS = 14;

/** What a change of a ticket tells the world; each happens at most once per order. */
export type Announcement =
  | { readonly type: 'OrderQueued' | 'CookingStarted' | 'DeliveryStarted' | 'OrderDelivered' | 'OrderCancelled' }
  | { readonly type: 'CancellationRejected'; readonly reason: string };

/** A decision that changes the ticket: what to write, and what that write announces. */
export interface TicketChange {
  readonly ticket: KitchenTicket;
  readonly announces: Announcement;
}

/** A decision: the ticket as it now stands, and the change to write (none when nothing changes, e.g. a repeat). */
export interface Decided {
  readonly ticket: KitchenTicket;
  readonly change?: TicketChange;
}

export class TicketNotFound extends Error {}
/** A kitchen step that does not fit the order's state, in words the staff can act on. */
export class KitchenRefusal extends Error {}

export function isOpen(ticket: KitchenTicket): ticket is OpenTicket {
  return ticket.status === 'Queued' || ticket.status === 'Cooking' || ticket.status === 'InDelivery';
}

/** A paid order joins the kitchen once: an order already known, open or closed, is not taken again. */
export function acceptOrder(known: KitchenTicket | undefined, order: PaidOrder, now: Date): Decided {
  if (known) return { ticket: known };
  const ticket: KitchenTicket = {
    orderId: order.orderId,
    storeId: order.storeId,
    customerId: order.customerId,
    paymentId: order.paymentId,
    lines: order.lines,
    status: 'Queued',
    queuedAt: now.toISOString(),
  };
  return { ticket, change: { ticket, announces: { type: 'OrderQueued' } } };
}

export type KitchenStep = 'startCooking' | 'startDelivery' | 'markDelivered';

const STEP: Record<
  KitchenStep,
  { from: OpenStatus; to: 'Cooking' | 'InDelivery' | 'Delivered'; announces: Announcement; refusal: string }
> = {
  startCooking: {
    from: 'Queued',
    to: 'Cooking',
    announces: { type: 'CookingStarted' },
    refusal: 'cooking can only start on a queued order',
  },
  startDelivery: {
    from: 'Cooking',
    to: 'InDelivery',
    announces: { type: 'DeliveryStarted' },
    refusal: 'delivery can only start once cooking has started',
  },
  markDelivered: {
    from: 'InDelivery',
    to: 'Delivered',
    announces: { type: 'OrderDelivered' },
    refusal: 'only an order out for delivery can be delivered',
  },
};

const RANK: Record<TicketStatus, number> = { Queued: 0, Cooking: 1, InDelivery: 2, Delivered: 3, Cancelled: -1 };

/**
 * Moves a ticket of `storeId`'s kitchen one step on. Repeating a step already
 * taken changes nothing, so a retried request is harmless. Another branch's
 * order is not found here: staff act on their own kitchen only.
 */
export function takeStep(ticket: KitchenTicket | undefined, storeId: string, step: KitchenStep, now: Date): Decided {
  if (!ticket || ticket.storeId !== storeId) throw new TicketNotFound(`order is not in ${storeId}'s kitchen`);
  const { from, to, announces, refusal } = STEP[step];
  if (ticket.status === 'Cancelled') throw new KitchenRefusal('the order was cancelled');
  if (ticket.status === 'Delivered' && to !== 'Delivered') throw new KitchenRefusal('the order was already delivered');
  if (RANK[ticket.status] >= RANK[to]) return { ticket };
  if (ticket.status !== from) throw new KitchenRefusal(refusal);
  const moved: KitchenTicket = { ...ticket, status: to, ...(to === 'Delivered' ? { closedAt: now.toISOString() } : {}) };
  return { ticket: moved, change: { ticket: moved, announces } };
}

export type CancellationDecision =
  | { verdict: 'cancelled'; ticket: KitchenTicket; change?: TicketChange }
  | { verdict: 'rejected'; ticket: KitchenTicket; reason: string; change?: TicketChange }
  | { verdict: 'unknown'; change?: undefined };

/** Cancelled if cooking has not started (the ticket closes); otherwise rejected with the reason, once. */
export function decideCancellation(ticket: KitchenTicket | undefined, now: Date): CancellationDecision {
  if (!ticket) return { verdict: 'unknown' };
  if (ticket.status === 'Cancelled') return { verdict: 'cancelled', ticket };
  if (ticket.cancellationRefused) return { verdict: 'rejected', ticket, reason: ticket.cancellationRefused };
  if (ticket.status === 'Queued') {
    const cancelled: KitchenTicket = { ...ticket, status: 'Cancelled', closedAt: now.toISOString() };
    return { verdict: 'cancelled', ticket: cancelled, change: { ticket: cancelled, announces: { type: 'OrderCancelled' } } };
  }
  const reason =
    ticket.status === 'Cooking'
      ? 'cooking has already started'
      : ticket.status === 'InDelivery'
        ? 'the order is out for delivery'
        : 'the order was already delivered';
  const refused: KitchenTicket = { ...ticket, cancellationRefused: reason };
  return { verdict: 'rejected', ticket: refused, reason, change: { ticket: refused, announces: { type: 'CancellationRejected', reason } } };
}
