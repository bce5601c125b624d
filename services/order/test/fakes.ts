import type { OrderSnapshot } from '../src/domain/order.js';
import { OrderChangedMeanwhile, type FavoriteStores, type OrderAnnouncement, type OrderRepository, type PaymentGateway, type PaymentIntent, PaymentIntentClaimed } from '../src/application/ports.js';

/** In-memory fakes of ordering's own ports, with versions like the real store's ETags. */
export class InMemoryOrders implements OrderRepository {
  readonly saved = new Map<string, { order: OrderSnapshot; version: number }>();
  /** Announcements, stored in the same write as the order they announce. */
  readonly announced: Array<{ announcement: OrderAnnouncement; order: OrderSnapshot }> = [];
  failInsert = false;
  async findById(orderId: string) {
    return this.saved.get(orderId)?.order;
  }
  async load(orderId: string) {
    const entry = this.saved.get(orderId);
    return entry && { order: entry.order, version: String(entry.version) };
  }
  /** Payment intents by orderId; insert consumes one in the same write, like the real store's transaction. */
  readonly intents = new Map<string, PaymentIntent & { claimed: boolean }>();
  async insert(order: OrderSnapshot, announcement: 'OrderPlaced') {
    if (this.failInsert) throw new Error('database unavailable');
    if (this.saved.has(order.orderId)) throw new Error('duplicate');
    const intent = this.intents.get(order.orderId);
    if (!intent || intent.claimed) throw new PaymentIntentClaimed(order.orderId);
    this.intents.delete(order.orderId);
    this.saved.set(order.orderId, { order, version: 1 });
    this.announced.push({ announcement, order });
  }
  async update(order: OrderSnapshot, version: string, announcement?: OrderAnnouncement) {
    const entry = this.saved.get(order.orderId);
    if (!entry || String(entry.version) !== version) throw new OrderChangedMeanwhile(order.orderId);
    this.saved.set(order.orderId, { order, version: entry.version + 1 });
    if (announcement) this.announced.push({ announcement, order });
  }
  async notePaymentIntent(intent: PaymentIntent) {
    this.intents.set(intent.orderId, { ...intent, claimed: false });
  }
  async abandonedPaymentIntents(notedBefore: Date) {
    return [...this.intents.values()].filter((intent) => Date.parse(intent.notedAt) < notedBefore.getTime());
  }
  async claimPaymentIntent(orderId: string) {
    const intent = this.intents.get(orderId);
    // As the repository: a claimed intent can be claimed again (a sweep whose refund failed retries it);
    // only a concurrent write (ETag) loses, which a single-threaded fake never sees.
    if (!intent) return false;
    intent.claimed = true;
    return true;
  }
  async forgetPaymentIntent(orderId: string) {
    this.intents.delete(orderId);
  }
  announcementsOf(announcement: OrderAnnouncement): OrderSnapshot[] {
    return this.announced.filter((entry) => entry.announcement === announcement).map((entry) => entry.order);
  }
  /** Another writer changes the stored order (bumps its version) before our next write. */
  touch(orderId: string) {
    const entry = this.saved.get(orderId)!;
    this.saved.set(orderId, { ...entry, version: entry.version + 1 });
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
