import type { CustomerOrderLine, OrderSummary } from '../domain/order-summary.js';

export interface Versioned<T> {
  value: T;
  version: string;
}

/**
 * The view's own storage: a summary per order (written optimistically), and per customer the ids of
 * their orders in pages, written once per order, so no record grows with a customer's history.
 */
export interface ViewStorage {
  /**
   * `listingFor`: the customer an OrderPlaced may list the order under (`listOrder`); the storage may read what
   * listing needs in the same round trip.
   */
  summary(orderId: string, listingFor?: string): Promise<Versioned<OrderSummary> | undefined>;
  /** Throws ConcurrentWriteError (service-kit) when someone else wrote since the read. */
  saveSummary(summary: OrderSummary, version: string | undefined): Promise<void>;
  /** Adds a placed order to its customer's list; an order already listed is not added again (safe to repeat). */
  listOrder(customerId: string, orderId: string): Promise<void>;
  /** A customer's orders, newest first, `limit` at a time from `cursor`. */
  customerOrders(
    customerId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ lines: CustomerOrderLine[]; nextCursor?: string }>;
}

/** Live changes for the streams (in-process: each replica streams what it projects). */
export interface ViewChanges {
  publish(summary: OrderSummary): void;
  subscribe(listener: (summary: OrderSummary) => void): () => void;
}
