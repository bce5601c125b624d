import type { KitchenWord, Payment } from '../domain/payment.js';

export interface PaymentRepository {
  findByOrder(orderId: string): Promise<Payment | undefined>;
  load(orderId: string): Promise<{ payment: Payment; version: string } | undefined>;
  /**
   * Stores a new payment together with its PaymentApproved announcement (one write: the
   * outbox), so the event is owed from the moment the charge exists and goes out after
   * the answer. Throws PaymentAlreadyRecorded if the order already has one (a concurrent retry).
   */
  insert(payment: Payment): Promise<void>;
  /** Writes if nobody else wrote since `version` (else ConcurrentWriteError), with its announcement if any. */
  update(payment: Payment, version: string, announcement?: 'PaymentRefunded'): Promise<void>;
  /** A customer's payment history, newest first, a page at a time (`cursor` from the previous page). */
  listByCustomer(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<HistoryPage>;
}

export interface HistoryPage {
  payments: Payment[];
  /** Where the next page starts; absent on the last page. */
  nextCursor?: string;
}

/** The order already has a payment: `existing` when the write saw it (a retry), absent when another write won just now. */
export class PaymentAlreadyRecorded extends Error {
  constructor(
    orderId: string,
    readonly existing?: Payment,
  ) {
    super(`order ${orderId} already has a payment`);
  }
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

/** The kitchen's word on an order (store is the authority on cancel versus cook). */
export interface Kitchen {
  statusOf(orderId: string): Promise<KitchenWord>;
}
