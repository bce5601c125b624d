import { Component } from '@burger/contracts';
import { DaprStateStore, PagedList, type KnownRead, type Versioned } from '@burger/service-kit';
import { isPlaced, listLine, type CustomerOrderLine, type OrderSummary } from '../../domain/order-summary.js';
import type { Versioned as ViewVersioned, ViewStorage } from '../../application/ports.js';

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

  /** Customer heads read along with a summary (`listingFor`), until `listOrder` takes them: one read fewer per order. */
  private readonly headsRead = new Map<string, KnownRead<Versioned<unknown> | undefined>>();

  async summary(orderId: string, listingFor?: string): Promise<ViewVersioned<OrderSummary> | undefined> {
    const headKey = listingFor && this.customerLists.headKey(listingFor);
    const mark = listingFor ? this.customerLists.markHeadOf(listingFor) : undefined;
    const found = await this.summaries.readVersions(headKey ? [summaryKey(orderId), headKey] : [summaryKey(orderId)]);
    if (headKey) {
      if (this.headsRead.size >= 1_000) this.headsRead.clear(); // not taken (the event changed nothing): forget them
      this.headsRead.set(`${listingFor}/${orderId}`, { read: found.get(headKey), mark });
    }
    const stored = found.get(summaryKey(orderId)) as Versioned<OrderSummary> | undefined;
    return stored && { value: stored.value, version: stored.etag };
  }

  async saveSummary(summary: OrderSummary, version: string | undefined): Promise<void> {
    await this.summaries.put(summaryKey(summary.orderId), summary, version);
  }

  async listOrder(customerId: string, orderId: string): Promise<void> {
    const known = this.headsRead.get(`${customerId}/${orderId}`);
    this.headsRead.delete(`${customerId}/${orderId}`);
    await this.customerLists.add(customerId, orderId, known);
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
