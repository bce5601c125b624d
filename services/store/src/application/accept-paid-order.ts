import type { OrderPlaced } from '@burger/contracts';
import { acceptOrder, isOpen } from '../domain/kitchen-ticket.js';
import { decideOnTicket, pinOnBoard } from './kitchen-writer.js';
import type { KitchenDeps } from './ports.js';

/**
 * A paid order reaches its branch: it is pinned on the branch's board, then its
 * ticket is written (first write) with OrderQueued in it. A crash between the
 * two leaves only a pin, and the broker's redelivery completes the accept. An
 * order the kitchen already knows, open or long closed, is not taken again.
 */
export class AcceptPaidOrder {
  constructor(private readonly deps: KitchenDeps) {}

  async execute(order: OrderPlaced): Promise<{ added: boolean }> {
    const { tickets, boards, clock } = this.deps;
    const now = clock.now();
    // The board comes along with the ticket (one round trip fewer for a new order, issue 18).
    const decided = await decideOnTicket(
      tickets,
      order.orderId,
      async ({ ticket, knownBoard }) => {
        const accepted = acceptOrder(ticket, order, now);
        // The board first: a ticket must never be open without its pin, or the kitchen would not see it.
        if (accepted.change) await pinOnBoard(boards, order.storeId, order.orderId, now.getTime(), { refresh: true, known: knownBoard });
        return accepted;
      },
      order.storeId,
    );
    // Known and still open: repair a pin a reader may have cleared meanwhile (a no-op almost always).
    if (!decided.change && isOpen(decided.ticket))
      await pinOnBoard(boards, decided.ticket.storeId, order.orderId, now.getTime(), { refresh: false });
    return { added: decided.change !== undefined };
  }
}
