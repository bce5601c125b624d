import { withoutOutbox, type Outbox, type OutboxRead, type VersionedStore } from '@burger/service-kit';
import { CLOSED_TICKET_MEMORY_DAYS, isOpen, type KitchenTicket, type TicketChange } from '../../domain/kitchen-ticket.js';
import type { KitchenTickets, TicketRead, TicketVersion } from '../../application/ports.js';
import { boardFrom, boardKey } from './branch-boards.js';
import { kitchenEvent } from './kitchen-events.js';

const TOMBSTONE_SECONDS = CLOSED_TICKET_MEMORY_DAYS * 24 * 60 * 60;

/**
 * Each order's ticket is one key in `storequeue` (Redis): `ticket-<orderId>`.
 * Its ETag makes every decision one conditional single-key write, and the event
 * the decision announces rides in the same record (service-kit's Outbox), so
 * the two commit together on Redis too, whose multi-key transactions do not roll
 * back. A closed ticket stays as a tombstone for CLOSED_TICKET_MEMORY_DAYS (the
 * store's TTL), the kitchen's memory of orders that left.
 */
export class DaprKitchenTickets implements KitchenTickets {
  constructor(
    private readonly store: VersionedStore,
    private readonly outbox: Outbox,
    private readonly clock: { now(): Date } = { now: () => new Date() },
    /** Test-only crash point after a ticket's write commits (STORE_FAULT_INJECTION). */
    private readonly hooks: TicketCommitHooks = {},
  ) {}

  async read(orderId: string, boardOf?: string): Promise<TicketRead> {
    const read = await this.outbox.read<KitchenTicket>(ticketKey(orderId), boardOf === undefined ? [] : [boardKey(boardOf)]);
    const found = { ticket: read.value, version: read as unknown as TicketVersion };
    return boardOf === undefined ? found : { ...found, board: boardFrom(boardOf, read.also.get(boardKey(boardOf))) };
  }

  async write(read: TicketRead, change: TicketChange): Promise<void> {
    const stored = read.version as unknown as OutboxRead<KitchenTicket>;
    const ttl = isOpen(change.ticket) ? {} : { ttlSeconds: TOMBSTONE_SECONDS };
    // Published in the background (and by the sweep after a crash): the decision does not wait for the broker.
    const afterCommit = () => this.hooks.afterCommit?.(change.ticket);
    await this.outbox.write(stored, change.ticket, [kitchenEvent(change, this.clock.now())], { ...ttl, afterCommit });
  }

  async readMany(orderIds: readonly string[]): Promise<KitchenTicket[]> {
    if (orderIds.length === 0) return [];
    const found = await this.store.readVersions(orderIds.map(ticketKey));
    return [...found.values()].flatMap(({ value }) => withoutOutbox<KitchenTicket>(value) ?? []);
  }
}

/** Called once a ticket's write has committed, before its event is published. */
export interface TicketCommitHooks {
  afterCommit?(ticket: KitchenTicket): void;
}

export const ticketKey = (orderId: string) => `ticket-${orderId}`;
