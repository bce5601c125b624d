import type { OrderSnapshot } from '../domain/order.js';

/** Outbound ports of the ordering context. Adapters implement them; the use cases only see these. */

export interface OrderRepository {
  findById(orderId: string): Promise<OrderSnapshot | undefined>;
  /** The order with an opaque version for optimistic concurrency. */
  load(orderId: string): Promise<{ order: OrderSnapshot; version: string } | undefined>;
  /** Stores a new order; fails if the id exists. */
  insert(order: OrderSnapshot): Promise<void>;
  /** Writes if nobody else wrote since `version`; otherwise throws OrderChangedMeanwhile. */
  update(order: OrderSnapshot, version: string): Promise<void>;
}

export class OrderChangedMeanwhile extends Error {}

/** order's own replica of each customer's favourite branch, fed by FavoriteStoreSelected. */
export interface FavoriteStores {
  find(customerId: string): Promise<string | undefined>;
  /** Keeps the newest selection: one selected earlier than what is stored is ignored. */
  remember(customerId: string, storeId: string, selectedAt: string): Promise<void>;
}

export interface PaymentApproval {
  paymentId: string;
}

export interface PaymentGateway {
  /** Approves (charges) the amount. Idempotent per orderId, so a retry never charges twice. */
  approve(request: { orderId: string; customerId: string; storeId: string; amountCents: number }): Promise<PaymentApproval>;
  /** Gives the money back when the order could not be recorded after all. Idempotent per orderId. */
  refund(orderId: string): Promise<void>;
}

export interface OrderEvents {
  orderPlaced(order: OrderSnapshot): Promise<void>;
  cancellationRequested(order: OrderSnapshot): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
