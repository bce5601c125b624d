import { isOpen, type KitchenTicket, type OpenTicket } from './kitchen-ticket.js';

/**
 * A branch's board: which of its orders are open in the kitchen, and nothing
 * else. The tickets themselves are one record each, so the board stays small
 * (one short entry per open order) however many orders the branch has served.
 *
 * An order is pinned before its ticket is written, and unpinned after its ticket
 * closed: a crash in between leaves a pin without a ticket (the accept is
 * completed when the broker redelivers the order) or a pin of a closed ticket.
 * Readers skip both, and clear them.
 */
export interface BranchBoard {
  readonly storeId: string;
  /** Open orderId → when it was pinned (epoch ms). */
  readonly open: Readonly<Record<string, number>>;
}

/** A pin without a ticket younger than this may belong to an accept still under way: leave it. */
export const STRAY_PIN_GRACE_MS = 10 * 60_000;

export function emptyBoard(storeId: string): BranchBoard {
  return { storeId, open: {} };
}

/** The board with `orderId` pinned at `at`, or undefined if nothing changes. With `refresh`, an existing pin is renewed. */
export function pin(board: BranchBoard, orderId: string, at: number, options: { refresh: boolean }): BranchBoard | undefined {
  if (orderId in board.open && !options.refresh) return undefined;
  return { ...board, open: { ...board.open, [orderId]: at } };
}

/** The board without `orderIds`, or undefined if none of them was pinned. */
export function unpin(board: BranchBoard, orderIds: readonly string[]): BranchBoard | undefined {
  if (!orderIds.some((id) => id in board.open)) return undefined;
  return { ...board, open: Object.fromEntries(Object.entries(board.open).filter(([id]) => !orderIds.includes(id))) };
}

/** Pins a reader may clear: tickets that closed or belong elsewhere, and tickets never written after the grace. */
export function strayPins(board: BranchBoard, tickets: readonly KitchenTicket[], now: number): string[] {
  const found = new Map(tickets.map((t) => [t.orderId, t]));
  return Object.entries(board.open)
    .filter(([orderId, pinnedAt]) => {
      const ticket = found.get(orderId);
      return ticket ? !isOpen(ticket) || ticket.storeId !== board.storeId : pinnedAt < now - STRAY_PIN_GRACE_MS;
    })
    .map(([orderId]) => orderId);
}

/** The branch's queue as the kitchen sees it: its open tickets, oldest first. */
export function queueOf(board: BranchBoard, tickets: readonly KitchenTicket[]): OpenTicket[] {
  return tickets
    .filter((t): t is OpenTicket => isOpen(t) && t.storeId === board.storeId && t.orderId in board.open)
    .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.orderId.localeCompare(b.orderId));
}
