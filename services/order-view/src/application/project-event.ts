import type { LifecycleEvent } from '@burger/contracts';
import { applyEvent, isPlaced, type OrderSummary } from '../domain/order-summary.js';
import { versioned } from '@burger/service-kit/concurrency';
import type { Versioned, ViewChanges, ViewStorage } from './ports.js';

/** Folds an event into the materialized view and tells the live streams. */
export class ProjectEvent {
  constructor(private readonly deps: { storage: ViewStorage; changes: ViewChanges }) {}

  async execute(event: LifecycleEvent): Promise<{ changed: boolean }> {
    // Only OrderPlaced makes an order listable, so only its read brings the customer's list along.
    const listingFor = event.type === 'OrderPlaced' ? event.customerId : undefined;
    const summaries = versioned<Versioned<OrderSummary> | undefined, OrderSummary>({
      read: (orderId) => this.deps.storage.summary(orderId, listingFor),
      write: (_, summary, stored) => this.deps.storage.saveSummary(summary, stored?.version),
    });
    const { outcome } = await summaries.update(event.orderId, (stored) => {
      const { summary, changed } = applyEvent(stored?.value, event);
      return changed ? { write: summary, outcome: { summary, changed } } : { outcome: { summary, changed } };
    });
    const { summary, changed } = outcome;
    // Events seen before OrderPlaced are kept, but nobody is shown an order that was never placed.
    if (!isPlaced(summary)) return { changed };
    // The list holds ids only (statuses are read from the summaries), so only OrderPlaced lists. A repeated one
    // lists too: the first delivery may have died between the summary and the list (crash test, order-view
    // killed -9), and listing an order already there changes nothing.
    if (event.type === 'OrderPlaced') await this.deps.storage.listOrder(summary.customerId, summary.orderId);
    if (!changed) return { changed };
    this.deps.changes.publish(summary);
    return { changed: true };
  }
}
