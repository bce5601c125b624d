import type { OrderSnapshot } from '../domain/order.js';

/** Outbound ports of the ordering context. Adapters implement them; the use cases only see these. */

export interface OrderRepository {
  findById(orderId: string): Promise<OrderSnapshot | undefined>;
  /** The order with an opaque version for optimistic concurrency. */
  load(orderId: string): Promise<{ order: OrderSnapshot; version: string } | undefined>;
  /**
   * Stores a new order (fails if the id exists) together with its announcement,
   * and consumes its payment intent, atomically: once this returns the event is
   * owed and will be published even if the process dies now; if it throws,
   * nothing was stored and nothing is sent. Throws PaymentIntentClaimed if the
   * abandoned-payment sweep took the intent first.
   */
  insert(order: OrderSnapshot, announcement: 'OrderPlaced'): Promise<void>;
  /** Notes that an order is about to be charged, so a charge whose order never got stored is found and refunded. */
  notePaymentIntent(intent: PaymentIntent): Promise<void>;
  /** Intents noted before `notedBefore` and still there: their order was never stored. */
  abandonedPaymentIntents(notedBefore: Date): Promise<PaymentIntent[]>;
  /** Takes an intent for settling; false if it is gone (its order was stored after all). */
  claimPaymentIntent(orderId: string): Promise<boolean>;
  forgetPaymentIntent(orderId: string): Promise<void>;
  /**
   * Writes if nobody else wrote since `version`, otherwise throws ConcurrentWriteError;
   * with an announcement, the event is stored and published as for `insert`.
   */
  update(order: OrderSnapshot, version: string, announcement?: OrderAnnouncement): Promise<void>;
}

/** The changes of an order that other contexts hear about (topic order-events). */
export type OrderAnnouncement = 'OrderPlaced' | 'OrderCancellationRequested';

/** "About to charge this order": kept until the order is stored, so no charge can go unmatched. */
export interface PaymentIntent {
  orderId: string;
  customerId: string;
  amountCents: number;
  notedAt: string;
}

/** The sweep judged the intent abandoned and is refunding it; the order must not be stored. */
export class PaymentIntentClaimed extends Error {
  constructor(readonly orderId: string) {
    super(`payment intent of ${orderId} was settled as abandoned`);
  }
}

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
  /** Gives the money back when the order could not be recorded after all. Idempotent per orderId; nothing charged is fine. */
  refund(orderId: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
