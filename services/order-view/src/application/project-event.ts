import type { LifecycleEvent } from '@burger/contracts';
import { applyEvent, isPlaced, type OrderSummary } from '../domain/order-summary.js';
import { retryOnConflict } from '@burger/service-kit/concurrency';
import { ViewChangedMeanwhile, type ViewChanges, type ViewStorage } from './ports.js';

/** Folds an event into the materialized view and tells the live streams. */
export class ProjectEvent {
  constructor(private readonly deps: { storage: ViewStorage; changes: ViewChanges }) {}

  async execute(event: LifecycleEvent): Promise<{ changed: boolean }> {
    const outcome = await retrying(async () => {
      const stored = await this.deps.storage.summary(event.orderId);
      const { summary, changed } = applyEvent(stored?.value, event);
      if (changed) await this.deps.storage.saveSummary(summary, stored?.version);
      return changed ? { summary, newlyPlaced: !(stored && isPlaced(stored.value)) && isPlaced(summary) } : undefined;
    });
    if (!outcome) return { changed: false };
    const { summary, newlyPlaced } = outcome;
    // Events seen before OrderPlaced are kept, but nobody is shown an order that was never placed.
    if (!isPlaced(summary)) return { changed: true };
    // The list holds ids only (statuses are read from the summaries), so it is written once per order.
    if (newlyPlaced) await this.deps.storage.listOrder(summary.customerId, summary.orderId);
    this.deps.changes.publish(summary);
    return { changed: true };
  }
}

/** Re-runs a read-decide-write when another writer got in between. */
const retrying = <T>(attempt: () => Promise<T>) => retryOnConflict(attempt, (error) => error instanceof ViewChangedMeanwhile);
