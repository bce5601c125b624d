import { KeyedTurns, retryOnConflict } from '@burger/service-kit/concurrency';
import { pin, unpin, type BranchBoard } from '../domain/branch-board.js';
import type { TicketChange } from '../domain/kitchen-ticket.js';
import { BoardChangedMeanwhile, TicketChangedMeanwhile, type BranchBoards, type KitchenTickets, type TicketRead } from './ports.js';

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
  return ticketTurns.run(orderId, () =>
    retryOnConflict(async () => {
      const read = await tickets.read(orderId);
      const decided = await decide(read);
      if (decided.change) await tickets.write(read, decided.change);
      return decided;
    }, (error) => error instanceof TicketChangedMeanwhile),
  );
}

/** Read-change-write of a branch's board with optimistic concurrency; `change` returns undefined when nothing changes. */
async function updateBoard(boards: BranchBoards, storeId: string, change: (board: BranchBoard) => BranchBoard | undefined): Promise<void> {
  await boardTurns.run(storeId, () =>
    retryOnConflict(async () => {
      const { board, version } = await boards.load(storeId);
      const changed = change(board);
      if (changed) await boards.save(changed, version);
    }, (error) => error instanceof BoardChangedMeanwhile),
  );
}

/** Puts an order on its branch's board (before its ticket is written); `refresh` renews an existing pin. */
export function pinOnBoard(boards: BranchBoards, storeId: string, orderId: string, at: number, refresh: boolean): Promise<void> {
  return updateBoard(boards, storeId, (board) => pin(board, orderId, at, { refresh }));
}

/** Takes orders off their branch's board (after their tickets closed). */
export function unpinFromBoard(boards: BranchBoards, storeId: string, orderIds: readonly string[]): Promise<void> {
  return updateBoard(boards, storeId, (board) => unpin(board, orderIds));
}
