import type { Payment } from '../domain/payment.js';

export interface PaymentRepository {
  findByOrder(orderId: string): Promise<Payment | undefined>;
  load(orderId: string): Promise<{ payment: Payment; version: string } | undefined>;
  /** Stores a new payment; throws PaymentAlreadyRecorded if the order already has one (a concurrent retry). */
  insert(payment: Payment): Promise<void>;
  /** Writes if nobody else wrote since `version`; otherwise throws PaymentChangedMeanwhile. */
  update(payment: Payment, version: string): Promise<void>;
  /** A customer's payment history, newest first. */
  listByCustomer(customerId: string): Promise<Payment[]>;
}

export class PaymentAlreadyRecorded extends Error {}
export class PaymentChangedMeanwhile extends Error {}

/** What pay tells the world about money moving. */
export interface PaymentEvents {
  approved(payment: Payment): Promise<void>;
  refunded(payment: Payment): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
