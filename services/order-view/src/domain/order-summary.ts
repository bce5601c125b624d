import type { LifecycleEvent, OrderStatus } from '@burger/contracts';

export interface TimelineEntry {
  eventId: string;
  type: LifecycleEvent['type'];
  occurredAt: string;
  detail?: string;
}

/** What the customer sees of an order: built only from events, never from another service's data. */
export interface OrderSummary {
  orderId: string;
  customerId: string;
  storeId: string;
  status: OrderStatus;
  cancellationRequested: boolean;
  cancellationRejectedReason?: string;
  refunded: boolean;
  lines?: Array<{ menuItemId: string; quantity: number }>;
  totalCents?: number;
  paymentId?: string;
  placedAt?: string;
  updatedAt: string;
  timeline: TimelineEntry[];
}

/** Lifecycle order, to sort events of the same instant and to tell which status wins. */
const RANK: Record<LifecycleEvent['type'], number> = {
  PaymentApproved: 0,
  OrderPlaced: 1,
  OrderQueued: 2,
  OrderCancellationRequested: 3,
  CancellationRejected: 4,
  CookingStarted: 5,
  DeliveryStarted: 6,
  OrderDelivered: 7,
  OrderCancelled: 8,
  PaymentRefunded: 9,
};

/**
 * Folds one event into the summary. Events of one order come over three topics,
 * so they may arrive in any order: everything is derived from the set of events
 * seen (the timeline), never from arrival order, and a known eventId changes nothing.
 */
export function applyEvent(current: OrderSummary | undefined, event: LifecycleEvent): { summary: OrderSummary; changed: boolean } {
  if (current?.timeline.some((entry) => entry.eventId === event.eventId)) return { summary: current, changed: false };
  const timeline = [...(current?.timeline ?? []), entryFor(event)].sort(
    (a, b) => a.occurredAt.localeCompare(b.occurredAt) || RANK[a.type] - RANK[b.type] || a.eventId.localeCompare(b.eventId),
  );
  const base = current ?? { orderId: event.orderId, customerId: event.customerId, storeId: event.storeId };
  const facts =
    event.type === 'OrderPlaced'
      ? { lines: event.lines, totalCents: event.totalCents, paymentId: event.paymentId, placedAt: event.occurredAt }
      : event.type === 'PaymentApproved'
        ? { paymentId: current?.paymentId ?? event.paymentId }
        : {};
  return { summary: { ...base, ...facts, ...derive(timeline) } as OrderSummary, changed: true };
}

function derive(timeline: TimelineEntry[]) {
  const seen = new Set(timeline.map((entry) => entry.type));
  const status: OrderStatus = seen.has('OrderCancelled')
    ? 'Cancelled'
    : seen.has('OrderDelivered')
      ? 'Delivered'
      : seen.has('DeliveryStarted')
        ? 'InDelivery'
        : seen.has('CookingStarted')
          ? 'Cooking'
          : 'Paid';
  const rejection = timeline.findLast((entry) => entry.type === 'CancellationRejected');
  return {
    status,
    cancellationRequested: seen.has('OrderCancellationRequested') && !seen.has('OrderCancelled') && !seen.has('CancellationRejected'),
    ...(rejection ? { cancellationRejectedReason: rejection.detail } : {}),
    refunded: seen.has('PaymentRefunded'),
    updatedAt: timeline.reduce((latest, entry) => (entry.occurredAt > latest ? entry.occurredAt : latest), ''),
    timeline,
  };
}

function entryFor(event: LifecycleEvent): TimelineEntry {
  const detail = event.type === 'CancellationRejected' ? event.reason : undefined;
  return { eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, ...(detail ? { detail } : {}) };
}

/**
 * A payment alone is not an order: the customer sees an order once it was placed.
 * (A charge whose order was never stored shows up as PaymentApproved, then
 * PaymentRefunded, and nothing else; it must not appear as an order.)
 */
export function isPlaced(summary: OrderSummary): boolean {
  return summary.timeline.some((entry) => entry.type === 'OrderPlaced');
}

/** One line of a customer's order list. */
export interface CustomerOrderLine {
  orderId: string;
  storeId: string;
  status: OrderStatus;
  placedAt?: string;
  totalCents?: number;
  updatedAt: string;
}

export function listLine(summary: OrderSummary): CustomerOrderLine {
  return {
    orderId: summary.orderId,
    storeId: summary.storeId,
    status: summary.status,
    ...(summary.placedAt ? { placedAt: summary.placedAt } : {}),
    ...(summary.totalCents ? { totalCents: summary.totalCents } : {}),
    updatedAt: summary.updatedAt,
  };
}
