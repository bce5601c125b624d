import { AppId } from '@burger/contracts';

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

/** What the kitchen, the authority on cancel versus cook, says about an order. `unknown`: it never had it. */
export type KitchenWord = 'unknown' | 'Queued' | 'Cooking' | 'InDelivery' | 'Cancelled' | 'Delivered';

/**
 * Why money would go back, and who is asking:
 * - `order-cancelled`: an OrderCancelled event reached pay (anyone able to publish could have sent it);
 * - `never-stored`: a charge whose order was never stored, compensated by the app that charged (`order`).
 */
export type RefundGround = { kind: 'order-cancelled' } | { kind: 'never-stored'; requestedBy: string | undefined };

/** The one app that charges, and so the one that may ask for a charge back whose order it could not store. */
export const CHARGING_APP: string = AppId.order;

export class RefundRefused extends Error {}

/**
 * Money moves only on authoritative facts. A cancellation is believed only when the kitchen says it
 * cancelled the order (the kitchen alone decides cancel versus cook); a compensation only when `order`
 * asks and the kitchen never had the order (or cancelled it). An order cooked, on its way or delivered
 * is never refunded, whatever the event or the caller says.
 */
export function checkRefund(ground: RefundGround, kitchen: KitchenWord): void {
  if (kitchen === 'Cooking' || kitchen === 'InDelivery' || kitchen === 'Delivered') {
    throw new RefundRefused(`the kitchen reports the order ${kitchen}: no refund`);
  }
  if (ground.kind === 'order-cancelled') {
    if (kitchen !== 'Cancelled') throw new RefundRefused(`a cancellation the kitchen did not decide (it reports ${kitchen}): no refund`);
    return;
  }
  if (ground.requestedBy !== CHARGING_APP)
    throw new RefundRefused(`only ${CHARGING_APP} may ask for a compensation, not ${ground.requestedBy ?? 'an unnamed caller'}`);
  if (kitchen === 'Queued') throw new RefundRefused('the kitchen has the order queued: it was stored, so it is no compensation case');
}
