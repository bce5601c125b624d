import { KeyedTurns, versioned } from '@burger/service-kit/concurrency';
import { pin, unpin, type BranchBoard } from '../domain/branch-board.js';
import type { TicketChange } from '../domain/kitchen-ticket.js';
import type { BranchBoards, KitchenTickets, TicketRead, VersionedBoard } from './ports.js';

/** Writers to one ticket, or one board, from this process take turns (see KeyedTurns); ETags settle the rest. */
const ticketTurns = new KeyedTurns();
const boardTurns = new KeyedTurns();

/**
 * Read-decide-write on one ticket: one conditional write (ETag) carrying the
 * event the decision announces. On a conflict the decision is taken again on
 * fresh data, so of a cancellation and a start of cooking only one can win.
 * `decide` may do work that must precede the write (pinning a new order).
 * Gives up after a bounded number of conflicts (a request gets a 503, an
 * event goes back to the broker).
 */
export async function decideOnTicket<D extends { change?: TicketChange }>(
  tickets: KitchenTickets,
  orderId: string,
  decide: (read: TicketRead) => D | Promise<D>,
): Promise<D> {
  const versions = versioned<TicketRead, TicketChange>(
    { read: (id) => tickets.read(id), write: (_, change, read) => tickets.write(read, change) },
    { turns: ticketTurns },
  );
  return versions.update(orderId, async (read) => {
    const decided = await decide(read);
    return { ...decided, write: decided.change };
  });
}

/** Read-change-write of a branch's board with optimistic concurrency; `change` returns undefined when nothing changes. */
async function updateBoard(boards: BranchBoards, storeId: string, change: (board: BranchBoard) => BranchBoard | undefined): Promise<void> {
  const versions = versioned<VersionedBoard, BranchBoard>(
    { read: (id) => boards.load(id), write: (_, board, read) => boards.save(board, read.version) },
    { turns: boardTurns },
  );
  await versions.update(storeId, ({ board }) => ({ write: change(board) }));
}

/** Puts an order on its branch's board (before its ticket is written); `refresh` renews an existing pin. */
export function pinOnBoard(boards: BranchBoards, storeId: string, orderId: string, at: number, refresh: boolean): Promise<void> {
  return updateBoard(boards, storeId, (board) => pin(board, orderId, at, { refresh }));
}

/** Takes orders off their branch's board (after their tickets closed). */
export function unpinFromBoard(boards: BranchBoards, storeId: string, orderIds: readonly string[]): Promise<void> {
  return updateBoard(boards, storeId, (board) => unpin(board, orderIds));
}
