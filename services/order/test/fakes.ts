import type { OrderSnapshot } from '../src/domain/order.js';
import { OrderChangedMeanwhile, type FavoriteStores, type OrderEvents, type OrderRepository, type PaymentGateway } from '../src/application/ports.js';

/** In-memory fakes of ordering's own ports, with versions like the real store's ETags. */
export class InMemoryOrders implements OrderRepository {
  readonly saved = new Map<string, { order: OrderSnapshot; version: number }>();
  failInsert = false;
  async findById(orderId: string) {
    return this.saved.get(orderId)?.order;
  }
  async load(orderId: string) {
    const entry = this.saved.get(orderId);
    return entry && { order: entry.order, version: String(entry.version) };
  }
  async insert(order: OrderSnapshot) {
    if (this.failInsert) throw new Error('database unavailable');
    if (this.saved.has(order.orderId)) throw new Error('duplicate');
    this.saved.set(order.orderId, { order, version: 1 });
  }
  async update(order: OrderSnapshot, version: string) {
    const entry = this.saved.get(order.orderId);
    if (!entry || String(entry.version) !== version) throw new OrderChangedMeanwhile(order.orderId);
    this.saved.set(order.orderId, { order, version: entry.version + 1 });
  }
  /** Another writer changes the stored order (bumps its version) before our next write. */
  touch(orderId: string) {
    const entry = this.saved.get(orderId)!;
    this.saved.set(orderId, { ...entry, version: entry.version + 1 });
  }
}

export class RecordingEvents implements OrderEvents {
  readonly placed: OrderSnapshot[] = [];
  readonly cancellationRequests: OrderSnapshot[] = [];
  async orderPlaced(order: OrderSnapshot) {
    this.placed.push(order);
  }
  async cancellationRequested(order: OrderSnapshot) {
    this.cancellationRequests.push(order);
  }
}

export class InMemoryFavorites implements FavoriteStores {
  readonly byCustomer = new Map<string, { storeId: string; selectedAt: string }>();
  async find(customerId: string) {
    return this.byCustomer.get(customerId)?.storeId;
  }
  async remember(customerId: string, storeId: string, selectedAt: string) {
    const current = this.byCustomer.get(customerId);
    if (!current || current.selectedAt < selectedAt) this.byCustomer.set(customerId, { storeId, selectedAt });
  }
}

export function fakePayments(outcome: 'approve' | Error): PaymentGateway & { charged: number[]; refunded: string[] } {
  const charged: number[] = [];
  const refunded: string[] = [];
  return {
    charged,
    refunded,
    async approve(request) {
      if (outcome !== 'approve') throw outcome;
      charged.push(request.amountCents);
      return { paymentId: `payment-of-${request.orderId}` };
    },
    async refund(orderId) {
      refunded.push(orderId);
    },
  };
}
