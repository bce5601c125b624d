import type { OrderSnapshot } from '../src/domain/order.js';
import type { IdempotencyKey, IdempotencyRecord, IdempotencyRecords } from '../src/application/idempotency.js';
import { ConcurrentWriteError } from '@burger/service-kit/concurrency';
import {
  type FavoriteStores,
  type OrderAnnouncement,
  type OrderRepository,
  type PaymentGateway,
  type PaymentIntent,
  PaymentIntentClaimed,
} from '../src/application/ports.js';

/** In-memory fakes of ordering's own ports, with versions like the real store's ETags. */
export class InMemoryOrders implements OrderRepository {
  readonly saved = new Map<string, { order: OrderSnapshot; version: number }>();
  /** Announcements, stored in the same write as the order they announce. */
  readonly announced: Array<{ announcement: OrderAnnouncement; order: OrderSnapshot }> = [];
  failInsert = false;
  /** The write commits, then its caller hears a failure (a lost reply, the sidecar's retry meeting the ETag). */
  commitThenFail = false;
  /** Reads fail (the store is unreachable). */
  failReads = false;
  async findById(orderId: string) {
    if (this.failReads) throw new Error('database unavailable');
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
    if (this.commitThenFail) throw new PaymentIntentClaimed(order.orderId);
  }
  async update(order: OrderSnapshot, version: string, announcement?: OrderAnnouncement) {
    const entry = this.saved.get(order.orderId);
    if (!entry || String(entry.version) !== version) throw new ConcurrentWriteError(order.orderId);
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
    if (this.failReads) throw new Error('database unavailable');
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

/** Idempotency records in memory, with versions like ETags. */
export class InMemoryIdempotencyRecords implements IdempotencyRecords {
  readonly records = new Map<string, { record: IdempotencyRecord; version: number }>();
  private id = ({ accountId, key }: IdempotencyKey) => `${accountId}/${key}`;
  async create(key: IdempotencyKey, record: IdempotencyRecord) {
    if (this.records.has(this.id(key))) return false;
    this.records.set(this.id(key), { record, version: 1 });
    return true;
  }
  async find(key: IdempotencyKey) {
    const entry = this.records.get(this.id(key));
    return entry && { record: entry.record, version: String(entry.version) };
  }
  async replace(key: IdempotencyKey, record: IdempotencyRecord, version: string) {
    const entry = this.records.get(this.id(key));
    if (!entry || String(entry.version) !== version) return false;
    this.records.set(this.id(key), { record, version: entry.version + 1 });
    return true;
  }
}
