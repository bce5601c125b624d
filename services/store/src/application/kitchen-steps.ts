import { isOpen, takeStep, type KitchenStep, type KitchenTicket } from '../domain/kitchen-ticket.js';
import { decideOnTicket, unpinFromBoard } from './kitchen-writer.js';
import type { KitchenDeps } from './ports.js';

/** Store staff move an order through the kitchen: start cooking, send it out, mark it delivered. */
export class KitchenSteps {
  constructor(private readonly deps: KitchenDeps) {}

  async execute(storeId: string, orderId: string, step: KitchenStep): Promise<KitchenTicket> {
    const { tickets, boards, clock } = this.deps;
    const { ticket } = await decideOnTicket(tickets, orderId, ({ ticket: current }) => takeStep(current, storeId, step, clock.now()));
    // Delivered: off the board, after the ticket's write (also on a repeat, which finishes a close a crash cut short).
    // Best effort: the step is taken either way, and readers clear a closed ticket's pin.
    if (!isOpen(ticket)) await unpinFromBoard(boards, storeId, [orderId]).catch(() => undefined);
    return ticket;
  }
}
