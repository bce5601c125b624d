import { Component } from '@burger/contracts';
import { DaprStateStore, PagedList } from '@burger/service-kit';
import { isPlaced, listLine, type CustomerOrderLine, type OrderSummary } from '../../domain/order-summary.js';
import type { Versioned, ViewStorage } from '../../application/ports.js';

/**
 * The view in its own store (`viewstore`, a Redis database of its own: droppable and rebuildable from the
 * topics): a summary per order, and each customer's order ids in pages (PagedList).
 */
export class DaprViewStorage implements ViewStorage {
  private readonly summaries: DaprStateStore<OrderSummary>;
  private readonly customerLists: PagedList<string>;

  constructor() {
    this.summaries = new DaprStateStore(Component.viewStore);
    this.customerLists = new PagedList<string>(this.summaries, 'customer-orders', (orderId) => orderId);
  }

  async summary(orderId: string): Promise<Versioned<OrderSummary> | undefined> {
    const stored = await this.summaries.get(summaryKey(orderId));
    return stored && { value: stored.value, version: stored.etag };
  }

  async saveSummary(summary: OrderSummary, version: string | undefined): Promise<void> {
    await this.summaries.put(summaryKey(summary.orderId), summary, version);
  }

  async listOrder(customerId: string, orderId: string): Promise<void> {
    await this.customerLists.add(customerId, orderId);
  }

  async customerOrders(
    customerId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ lines: CustomerOrderLine[]; nextCursor?: string }> {
    const { items, nextCursor } = await this.customerLists.page(customerId, page);
    const summaries = await this.summaries.getMany(items.map(summaryKey));
    return { lines: summaries.filter(isPlaced).map(listLine), ...(nextCursor ? { nextCursor } : {}) };
  }
}

const summaryKey = (orderId: string) => `order-${orderId}`;
