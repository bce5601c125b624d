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
  readonly paymentId: string;
  readonly placedAt: string;
}

export class UnknownMenuItem extends Error {
  constructor(readonly lineIndex: number, readonly menuItemId: string) {
    super(`"${menuItemId}" is not on the menu`);
  }
}

export class IllegalTransition extends Error {
  constructor(readonly from: OrderStatus, readonly to: OrderStatus) {
    super(`An order that is ${from} cannot become ${to}`);
  }
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
  return { ...priced, status: 'Paid', paymentId, placedAt: placedAt.toISOString() };
}

export function moveOrder(order: OrderSnapshot, to: OrderStatus): OrderSnapshot {
  if (!canMove(order.status, to)) throw new IllegalTransition(order.status, to);
  return { ...order, status: to };
}
