import type { Menu } from './menu.js';

/**
 * Where an order stands. There is no "unpaid" status on purpose: an order
 * comes into existence only once its payment is approved (the seed's first
 * non-functional requirement), so the first status is Paid.
 */
export type OrderStatus = 'Paid' | 'Cooking' | 'InDelivery' | 'Delivered' | 'Cancelled';

/** The only moves an order can make. Anything else is refused. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  Paid: ['Cooking', 'Cancelled'],
  Cooking: ['InDelivery'],
  InDelivery: ['Delivered'],
  Delivered: [],
  Cancelled: [],
};

export interface OrderLine {
  readonly menuItemId: string;
  readonly quantity: number;
}

export interface OrderSnapshot {
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number;
  readonly status: OrderStatus;
  /** The customer asked to cancel and the store has not answered yet. */
  readonly cancellationRequested: boolean;
  readonly paymentId: string;
  readonly placedAt: string;
}

export class UnknownMenuItem extends Error {
  constructor(
    readonly lineIndex: number,
    readonly menuItemId: string,
  ) {
    super(`"${menuItemId}" is not on the menu`);
  }
}

export class IllegalTransition extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`An order that is ${from} cannot become ${to}`);
  }
}

/** Cancelling is only possible before cooking starts; this says why not, in the customer's words. */
export class CancellationRefused extends Error {
  constructor(readonly status: OrderStatus) {
    super(status === 'Cancelled' ? 'The order is already cancelled' : `The order can no longer be cancelled: it is ${describe(status)}`);
  }
}

function describe(status: OrderStatus): string {
  return { Paid: 'paid', Cooking: 'being cooked', InDelivery: 'out for delivery', Delivered: 'delivered', Cancelled: 'cancelled' }[status];
}

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** An order that has been priced but not yet paid: it exists only in memory until payment succeeds. */
export interface PricedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number;
}

/** Prices the lines from the menu; repeated items are merged into one line. */
export function priceOrder(
  input: { orderId: string; customerId: string; storeId: string; lines: readonly OrderLine[] },
  menu: Menu,
): PricedOrder {
  const merged = new Map<string, number>();
  input.lines.forEach((line, index) => {
    if (!menu.find(line.menuItemId)) throw new UnknownMenuItem(index, line.menuItemId);
    merged.set(line.menuItemId, (merged.get(line.menuItemId) ?? 0) + line.quantity);
  });
  const lines = [...merged].map(([menuItemId, quantity]) => ({ menuItemId, quantity }));
  const totalCents = lines.reduce((sum, line) => sum + menu.find(line.menuItemId)!.priceCents * line.quantity, 0);
  return { orderId: input.orderId, customerId: input.customerId, storeId: input.storeId, lines, totalCents };
}

/** The order as it comes into existence: paid. */
export function paidOrder(priced: PricedOrder, paymentId: string, placedAt: Date): OrderSnapshot {
  return { ...priced, status: 'Paid', cancellationRequested: false, paymentId, placedAt: placedAt.toISOString() };
}

/** Moves the order on; any answer from the store settles a pending cancellation request. */
export function moveOrder(order: OrderSnapshot, to: OrderStatus): OrderSnapshot {
  if (!canMove(order.status, to)) throw new IllegalTransition(order.status, to);
  return { ...order, status: to, cancellationRequested: false };
}

/**
 * The customer's request to cancel. The order only asks: the store decides,
 * because only the store knows whether cooking has started. Asking twice is
 * the same as asking once.
 */
export function requestCancellation(order: OrderSnapshot): { order: OrderSnapshot; newlyRequested: boolean } {
  if (!canMove(order.status, 'Cancelled')) throw new CancellationRefused(order.status);
  if (order.cancellationRequested) return { order, newlyRequested: false };
  return { order: { ...order, cancellationRequested: true }, newlyRequested: true };
}

/** The store turned the cancellation down (cooking had started): the order goes on as before. */
export function cancellationRejected(order: OrderSnapshot): OrderSnapshot {
  return { ...order, cancellationRequested: false };
}

/** The way forward, for telling whether an order has already passed a step. */
const PROGRESS: readonly OrderStatus[] = ['Paid', 'Cooking', 'InDelivery', 'Delivered'];

/**
 * Where the kitchen's events take an order. A step already taken or already
 * passed (a redelivered, older event) changes nothing; a step that contradicts
 * the order (cooking a cancelled order) is an IllegalTransition.
 */
export function moveWithKitchen(order: OrderSnapshot, to: OrderStatus): { order: OrderSnapshot; changed: boolean } {
  const passed = PROGRESS.indexOf(order.status) >= PROGRESS.indexOf(to) && PROGRESS.includes(to);
  if (order.status === to || passed) return { order, changed: false };
  return { order: moveOrder(order, to), changed: true };
}
