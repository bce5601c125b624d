import type { OrderCancellationRequested } from '@burger/contracts';
import { decideCancellation, type CancellationDecision } from '../domain/kitchen-ticket.js';
import { decideOnTicket, unpinFromBoard } from './kitchen-writer.js';
import type { KitchenDeps } from './ports.js';

/** Not known yet: the order's OrderPlaced has not been processed; the broker should redeliver later. */
export class OrderNotYetInKitchen extends Error {}

/**
 * The customer asked to cancel: the kitchen accepts if cooking has not started,
 * and says which, in one conditional write on the ticket (the same record that
 * starting to cook writes, so only one of the two can win).
 */
export class DecideCancellation {
  constructor(private readonly deps: KitchenDeps) {}

  async execute(request: OrderCancellationRequested): Promise<CancellationDecision['verdict']> {
    const { tickets, boards, clock } = this.deps;
    const decision = await decideOnTicket(tickets, request.orderId, ({ ticket }) => decideCancellation(ticket, clock.now()));
    if (decision.verdict === 'unknown') throw new OrderNotYetInKitchen(request.orderId);
    if (decision.verdict === 'cancelled') await unpinFromBoard(boards, decision.ticket.storeId, [request.orderId]);
    return decision.verdict;
  }
}
