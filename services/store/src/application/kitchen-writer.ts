import { KeyedTurns, versioned, type KnownRead } from '@burger/service-kit/concurrency';
import { pin, unpin, type BranchBoard } from '../domain/branch-board.js';
import type { TicketChange } from '../domain/kitchen-ticket.js';
import type { BranchBoards, KitchenTickets, TicketRead, VersionedBoard } from './ports.js';

/** Writers to one ticket, or one board, from this process take turns (see KeyedTurns); ETags settle the rest. */
const ticketTurns = new KeyedTurns();
const boardTurns = new KeyedTurns();

/** A ticket as read for a decision; `knownBoard` when the branch's board came along (`withBoardOf`). */
export interface TicketDecisionRead extends TicketRead {
  readonly knownBoard?: KnownRead<VersionedBoard>;
}

/**
 * Read-decide-write on one ticket: one conditional write (ETag) carrying the
 * event the decision announces. On a conflict the decision is taken again on
 * fresh data, so of a cancellation and a start of cooking only one can win.
 * `decide` may do work that must precede the write (pinning a new order).
 * Gives up after a bounded number of conflicts (a request gets a 503, an
 * event goes back to the broker). `withBoardOf` reads that branch's board in
 * the same round trip, for a decision that then changes the board.
 */
export async function decideOnTicket<D extends { change?: TicketChange }>(
  tickets: KitchenTickets,
  orderId: string,
  decide: (read: TicketDecisionRead) => D | Promise<D>,
  withBoardOf?: string,
): Promise<D> {
  const read = async (id: string): Promise<TicketDecisionRead> => {
    if (withBoardOf === undefined) return tickets.read(id);
    // The mark first: a board write begun after it makes this board read stale, and pinOnBoard then reads afresh.
    const mark = boardTurns.mark(withBoardOf);
    const found = await tickets.read(id, withBoardOf);
    return { ...found, ...(found.board ? { knownBoard: { read: found.board, mark } } : {}) };
  };
  const versions = versioned<TicketDecisionRead, TicketChange>(
    { read, write: (_, change, found) => tickets.write(found, change) },
    { turns: ticketTurns },
  );
  return versions.update(orderId, async (found) => {
    const decided = await decide(found);
    return { ...decided, write: decided.change };
  });
}

/** Read-change-write of a branch's board with optimistic concurrency; `change` returns undefined when nothing changes. */
async function updateBoard(
  boards: BranchBoards,
  storeId: string,
  change: (board: BranchBoard) => BranchBoard | undefined,
  known?: KnownRead<VersionedBoard>,
): Promise<void> {
  const versions = versioned<VersionedBoard, BranchBoard>(
    { read: (id) => boards.load(id), write: (_, board, read) => boards.save(board, read.version) },
    { turns: boardTurns },
  );
  await versions.update(storeId, ({ board }) => ({ write: change(board) }), known);
}

/**
 * Puts an order on its branch's board (before its ticket is written); `refresh` renews an existing pin.
 * `known` is the board as read with the ticket: used when no board write began here since (one read fewer).
 */
export function pinOnBoard(
  boards: BranchBoards,
  storeId: string,
  orderId: string,
  at: number,
  options: { refresh: boolean; known?: KnownRead<VersionedBoard> | undefined },
): Promise<void> {
  return updateBoard(boards, storeId, (board) => pin(board, orderId, at, { refresh: options.refresh }), options.known);
}

/** Takes orders off their branch's board (after their tickets closed). */
export function unpinFromBoard(boards: BranchBoards, storeId: string, orderIds: readonly string[]): Promise<void> {
  return updateBoard(boards, storeId, (board) => unpin(board, orderIds));
}
