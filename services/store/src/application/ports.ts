import type { BranchBoard } from '../domain/branch-board.js';
import type { KitchenTicket, TicketChange } from '../domain/kitchen-ticket.js';

declare const versionOfTicket: unique symbol;
/** Opaque to the application: whatever the store needs to write over exactly the version read. */
export type TicketVersion = { readonly [versionOfTicket]: true };

export interface TicketRead {
  /** Undefined for an order the kitchen has never seen (or forgot, long after it closed). */
  readonly ticket: KitchenTicket | undefined;
  readonly version: TicketVersion;
  /** The branch's board as read in the same round trip, when `read` was asked for it. */
  readonly board?: VersionedBoard;
}

/** One record per order. */
export interface KitchenTickets {
  /** With `boardOf`, the board of that branch comes along in the same round trip. */
  read(orderId: string, boardOf?: string): Promise<TicketRead>;
  /**
   * One conditional write: the changed ticket over the version read, together with the event it announces
   * (the store publishes it afterwards, also after a crash). Throws ConcurrentWriteError (service-kit) if anyone wrote since
   * (nothing was written then). A closed ticket is kept as a tombstone for CLOSED_TICKET_MEMORY_DAYS.
   */
  write(read: TicketRead, change: TicketChange): Promise<void>;
  /** Several tickets in one round trip; unknown ones are left out. */
  readMany(orderIds: readonly string[]): Promise<KitchenTicket[]>;
}

export interface VersionedBoard {
  board: BranchBoard;
  /** Opaque version for optimistic concurrency; undefined for a board never stored. */
  version?: string;
}

/** One small record per branch: its open orders. */
export interface BranchBoards {
  load(storeId: string): Promise<VersionedBoard>;
  /** Writes if nobody else wrote since `version`; otherwise throws ConcurrentWriteError (service-kit). */
  save(board: BranchBoard, version: string | undefined): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface KitchenDeps {
  tickets: KitchenTickets;
  boards: BranchBoards;
  clock: Clock;
}
