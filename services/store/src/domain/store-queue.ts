/**
 * A branch's kitchen. The store is the single authority on "has cooking
 * started?", so the decision on a cancellation is taken here, on the same
 * queue record (one optimistic write) as starting to cook: the two cannot both win.
 */
export type TicketStatus = 'Queued' | 'Cooking' | 'InDelivery';

export interface CookingTicket {
  readonly orderId: string;
  readonly storeId: string;
  readonly customerId: string;
  readonly paymentId: string;
  readonly lines: readonly { readonly menuItemId: string; readonly quantity: number }[];
  readonly status: TicketStatus;
  readonly queuedAt: string;
}

/** An order that has left the kitchen, remembered so a late or repeated message cannot bring it back. */
export interface ClosedTicket extends CookingTicket {
  readonly outcome: 'Cancelled' | 'Delivered';
  readonly closedAt: string;
}

export interface StoreQueue {
  readonly storeId: string;
  /** Orders in the kitchen, oldest first. */
  readonly tickets: readonly CookingTicket[];
  /** The most recently closed orders, newest last, bounded. */
  readonly closed: readonly ClosedTicket[];
}

/** How many closed orders a branch remembers; far more than the broker's redelivery window needs. */
export const CLOSED_MEMORY = 1_000;

export class WrongBranch extends Error {}
export class TicketNotFound extends Error {}
/** A kitchen step that does not fit the order's state, in words the staff can act on. */
export class KitchenRefusal extends Error {}

export function emptyQueue(storeId: string): StoreQueue {
  return { storeId, tickets: [], closed: [] };
}

/** Adds a paid order once: an order already in the kitchen, or already gone, is not added again. */
export function acceptOrder(queue: StoreQueue, ticket: Omit<CookingTicket, 'status'>): { queue: StoreQueue; added: boolean } {
  if (ticket.storeId !== queue.storeId) throw new WrongBranch(`order for ${ticket.storeId} offered to ${queue.storeId}`);
  if (find(queue, ticket.orderId)) return { queue, added: false };
  return { queue: { ...queue, tickets: [...queue.tickets, { ...ticket, status: 'Queued' }] }, added: true };
}

export type KitchenStep = 'startCooking' | 'startDelivery' | 'markDelivered';

const STEP: Record<KitchenStep, { from: TicketStatus; to: TicketStatus | 'Delivered'; refusal: string }> = {
  startCooking: { from: 'Queued', to: 'Cooking', refusal: 'cooking can only start on a queued order' },
  startDelivery: { from: 'Cooking', to: 'InDelivery', refusal: 'delivery can only start once cooking has started' },
  markDelivered: { from: 'InDelivery', to: 'Delivered', refusal: 'only an order out for delivery can be delivered' },
};

/**
 * Moves a ticket one step on. Repeating a step already taken changes nothing
 * (`done: false`), so a retried request is harmless.
 */
export function takeStep(queue: StoreQueue, orderId: string, step: KitchenStep, now: Date): { queue: StoreQueue; ticket: CookingTicket; done: boolean } {
  const found = find(queue, orderId);
  if (!found) throw new TicketNotFound(`order ${orderId} is not in ${queue.storeId}'s kitchen`);
  const { from, to, refusal } = STEP[step];
  if ('outcome' in found) {
    if (found.outcome === 'Delivered' && to === 'Delivered') return { queue, ticket: found, done: false };
    throw new KitchenRefusal(found.outcome === 'Cancelled' ? 'the order was cancelled' : 'the order was already delivered');
  }
  if (found.status === to || rank(found.status) > rank(from)) return { queue, ticket: found, done: false };
  if (found.status !== from) throw new KitchenRefusal(refusal);
  if (to === 'Delivered') return { queue: close(queue, found, 'Delivered', now), ticket: found, done: true };
  const moved = { ...found, status: to };
  return { queue: { ...queue, tickets: queue.tickets.map((t) => (t.orderId === orderId ? moved : t)) }, ticket: moved, done: true };
}

export type CancellationDecision =
  | { verdict: 'cancelled'; ticket: CookingTicket; queue: StoreQueue; done: boolean }
  | { verdict: 'rejected'; ticket: CookingTicket; reason: string }
  | { verdict: 'unknown' };

/** Cancelled if cooking has not started (the ticket leaves the queue); otherwise rejected with the reason. */
export function decideCancellation(queue: StoreQueue, orderId: string, now: Date): CancellationDecision {
  const found = find(queue, orderId);
  if (!found) return { verdict: 'unknown' };
  if ('outcome' in found) {
    return found.outcome === 'Cancelled'
      ? { verdict: 'cancelled', ticket: found, queue, done: false }
      : { verdict: 'rejected', ticket: found, reason: 'the order was already delivered' };
  }
  if (found.status !== 'Queued') {
    return { verdict: 'rejected', ticket: found, reason: found.status === 'Cooking' ? 'cooking has already started' : 'the order is out for delivery' };
  }
  return { verdict: 'cancelled', ticket: found, queue: close(queue, found, 'Cancelled', now), done: true };
}

function close(queue: StoreQueue, ticket: CookingTicket, outcome: ClosedTicket['outcome'], now: Date): StoreQueue {
  const closed = [...queue.closed, { ...ticket, outcome, closedAt: now.toISOString() }].slice(-CLOSED_MEMORY);
  return { ...queue, tickets: queue.tickets.filter((t) => t.orderId !== ticket.orderId), closed };
}

function find(queue: StoreQueue, orderId: string): CookingTicket | ClosedTicket | undefined {
  return queue.tickets.find((t) => t.orderId === orderId) ?? queue.closed.find((t) => t.orderId === orderId);
}

function rank(status: TicketStatus): number {
  return ['Queued', 'Cooking', 'InDelivery'].indexOf(status);
}
