/** A charge for one order. One order has at most one payment: the orderId is its natural key. */
export interface Payment {
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly amountCents: number;
  readonly status: 'Approved' | 'Refunded';
  readonly approvedAt: string;
  readonly refundedAt?: string;
}

/** The most one order may be charged; above it the provider declines (a stand-in for a card limit). */
export const MAX_CHARGE_CENTS = 1_000_000;

export class ChargeDeclined extends Error {}

/** A different charge for an order that was already charged: a client bug, never a second charge. */
export class ConflictingCharge extends Error {}

export function approveCharge(
  request: { orderId: string; customerId: string; storeId: string; amountCents: number },
  paymentId: string,
  now: Date,
): Payment {
  if (request.amountCents > MAX_CHARGE_CENTS) {
    throw new ChargeDeclined(`amount ${request.amountCents} exceeds the per-order limit of ${MAX_CHARGE_CENTS}`);
  }
  return { paymentId, ...request, status: 'Approved', approvedAt: now.toISOString() };
}

/** A repeated approval (a retry) is answered with the existing payment, unless it asks for something else. */
export function sameCharge(existing: Payment, request: { customerId: string; amountCents: number }): boolean {
  return existing.customerId === request.customerId && existing.amountCents === request.amountCents;
}

/** Gives the whole amount back. Refunding twice is refunding once: `done: false` the second time. */
export function refund(payment: Payment, now: Date): { payment: Payment; done: boolean } {
  if (payment.status === 'Refunded') return { payment, done: false };
  return { payment: { ...payment, status: 'Refunded', refundedAt: now.toISOString() }, done: true };
}
