import { queueOf, strayPins } from '../domain/branch-board.js';
import type { OpenTicket } from '../domain/kitchen-ticket.js';
import { unpinFromBoard } from './kitchen-writer.js';
import type { KitchenDeps } from './ports.js';

/** The branch's open tickets: its board, then its tickets in one bulk read. */
export class GetStoreQueue {
  constructor(private readonly deps: KitchenDeps) {}

  async execute(storeId: string): Promise<{ storeId: string; tickets: OpenTicket[] }> {
    const { tickets, boards, clock } = this.deps;
    const { board } = await boards.load(storeId);
    const found = await tickets.readMany(Object.keys(board.open));
    const stray = strayPins(board, found, clock.now().getTime());
    // Best effort: a pin left by a crash is skipped either way, and the next reader tries again.
    if (stray.length > 0) await unpinFromBoard(boards, storeId, stray).catch(() => undefined);
    return { storeId, tickets: queueOf(board, found) };
  }
}
