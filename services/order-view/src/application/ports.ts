import type { CustomerOrderLine, OrderSummary } from '../domain/order-summary.js';

export interface Versioned<T> {
  value: T;
  version: string;
}

/** The view's own storage: summaries and per-customer lists, both written optimistically. */
export interface ViewStorage {
  summary(orderId: string): Promise<Versioned<OrderSummary> | undefined>;
  saveSummary(summary: OrderSummary, version: string | undefined): Promise<void>;
  customerLines(customerId: string): Promise<Versioned<CustomerOrderLine[]> | undefined>;
  saveCustomerLines(customerId: string, lines: CustomerOrderLine[], version: string | undefined): Promise<void>;
}

/** Thrown by the save methods when someone else wrote since the read. */
export class ViewChangedMeanwhile extends Error {}

/** Live changes for the streams (in-process: each replica streams what it projects). */
export interface ViewChanges {
  publish(summary: OrderSummary): void;
  subscribe(listener: (summary: OrderSummary) => void): () => void;
}
