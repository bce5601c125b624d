import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import type { CustomerOrderLine, OrderSummary } from '../../domain/order-summary.js';
import { ViewChangedMeanwhile, type Versioned, type ViewStorage } from '../../application/ports.js';

/** The view in its own store (`viewstore`, a Redis database of its own: droppable and rebuildable from the topics). */
export class DaprViewStorage implements ViewStorage {
  private readonly summaries: DaprStateStore<OrderSummary>;
  private readonly lists: DaprStateStore<CustomerOrderLine[]>;

  constructor(client: DaprClient) {
    this.summaries = new DaprStateStore(client, Component.viewStore);
    this.lists = new DaprStateStore(client, Component.viewStore);
  }

  async summary(orderId: string): Promise<Versioned<OrderSummary> | undefined> {
    const stored = await this.summaries.get(`order-${orderId}`);
    return stored && { value: stored.value, version: stored.etag };
  }

  async saveSummary(summary: OrderSummary, version: string | undefined): Promise<void> {
    await optimistic(() => this.summaries.put(`order-${summary.orderId}`, summary, version));
  }

  async customerLines(customerId: string): Promise<Versioned<CustomerOrderLine[]> | undefined> {
    const stored = await this.lists.get(`customer-${customerId}`);
    return stored && { value: stored.value, version: stored.etag };
  }

  async saveCustomerLines(customerId: string, lines: CustomerOrderLine[], version: string | undefined): Promise<void> {
    await optimistic(() => this.lists.put(`customer-${customerId}`, lines, version));
  }
}

async function optimistic(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw error instanceof ConcurrentWriteError ? new ViewChangedMeanwhile(String(error.key)) : error;
  }
}
