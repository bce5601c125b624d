/** An order waiting in a branch's kitchen. */
export interface CookingTicket {
  readonly orderId: string;
  readonly storeId: string;
  readonly lines: readonly { readonly menuItemId: string; readonly quantity: number }[];
  readonly queuedAt: string;
}

/** One branch's queue of paid orders to cook, oldest first. */
export interface StoreQueue {
  readonly storeId: string;
  readonly tickets: readonly CookingTicket[];
}

export function emptyQueue(storeId: string): StoreQueue {
  return { storeId, tickets: [] };
}

export class WrongBranch extends Error {}

/**
 * Adds a ticket once. A ticket for an order already in the queue leaves the
 * queue as it is: redelivered events must not put an order in twice.
 */
export function enqueue(queue: StoreQueue, ticket: CookingTicket): { queue: StoreQueue; added: boolean } {
  if (ticket.storeId !== queue.storeId) throw new WrongBranch(`ticket for ${ticket.storeId} offered to ${queue.storeId}`);
  if (queue.tickets.some((t) => t.orderId === ticket.orderId)) return { queue, added: false };
  return { queue: { ...queue, tickets: [...queue.tickets, ticket] }, added: true };
}
