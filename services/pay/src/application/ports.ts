import type { Payment } from '../domain/payment.js';

export interface PaymentRepository {
  findByOrder(orderId: string): Promise<Payment | undefined>;
  /** Stores a new payment; throws PaymentAlreadyRecorded if the order already has one (a concurrent retry). */
  insert(payment: Payment): Promise<void>;
}

export class PaymentAlreadyRecorded extends Error {}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
