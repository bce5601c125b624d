import type { OrderSnapshot } from '../domain/order.js';

/** Outbound ports of the ordering context. Adapters implement them; the use cases only see these. */

export interface OrderRepository {
  findById(orderId: string): Promise<OrderSnapshot | undefined>;
  /** Stores a new order; fails if the id exists. */
  insert(order: OrderSnapshot): Promise<void>;
}

export interface PaymentApproval {
  paymentId: string;
}

export interface PaymentGateway {
  /** Approves (charges) the amount. Idempotent per orderId, so a retry never charges twice. */
  approve(request: { orderId: string; customerId: string; amountCents: number }): Promise<PaymentApproval>;
}

export interface OrderEvents {
  orderPlaced(order: OrderSnapshot): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
