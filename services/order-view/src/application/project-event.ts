import type { LifecycleEvent } from '@burger/contracts';
import { applyEvent, isPlaced, listLine, upsertLine, type OrderSummary } from '../domain/order-summary.js';
import { retryOnConflict } from '@burger/service-kit/concurrency';
import { ViewChangedMeanwhile, type ViewChanges, type ViewStorage } from './ports.js';

/** Folds an event into the materialized view and tells the live streams. */
export class ProjectEvent {
  constructor(private readonly deps: { storage: ViewStorage; changes: ViewChanges }) {}

  async execute(event: LifecycleEvent): Promise<{ changed: boolean }> {
    const summary = await retrying(async () => {
      const stored = await this.deps.storage.summary(event.orderId);
      const { summary, changed } = applyEvent(stored?.value, event);
      if (changed) await this.deps.storage.saveSummary(summary, stored?.version);
      return changed ? summary : undefined;
    });
    if (!summary) return { changed: false };
    // Events seen before OrderPlaced are kept, but nobody is shown an order that was never placed.
    if (!isPlaced(summary)) return { changed: true };
    await this.updateCustomerList(summary);
    this.deps.changes.publish(summary);
    return { changed: true };
  }

  private async updateCustomerList(summary: OrderSummary): Promise<void> {
    await retrying(async () => {
      const stored = await this.deps.storage.customerLines(summary.customerId);
      await this.deps.storage.saveCustomerLines(summary.customerId, upsertLine(stored?.value ?? [], listLine(summary)), stored?.version);
    });
  }
}

/** Re-runs a read-decide-write when another writer got in between. */
const retrying = <T>(attempt: () => Promise<T>) => retryOnConflict(attempt, (error) => error instanceof ViewChangedMeanwhile);
