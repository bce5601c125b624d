import { Component } from '@burger/contracts';
import {
  ConcurrentWriteError,
  DaprStateStore,
  Outbox,
  PendingIndex,
  withoutOutbox,
  type Logger,
  type OutboxRead,
  type StateWrite,
} from '@burger/service-kit';
import type { OrderSnapshot } from '../../domain/order.js';
import { PaymentIntentClaimed, type OrderAnnouncement, type OrderRepository, type PaymentIntent } from '../../application/ports.js';
import { announcementEvent } from './order-announcements.js';

/** Test-only crash points around the commit (ORDER_FAULT_INJECTION); absent in normal runs. */
export interface CommitHooks {
  beforeCommit?(orderId: string): void;
  afterCommit?(orderId: string): void;
}

/**
 * Orders in the `orderstore` state store (PostgreSQL), one key per order, ETags
 * for concurrent writers. A change that is announced carries its event in the
 * same record (the outbox), and the relay publishes it after the commit.
 *
 * Payment intents are keys of their own, held in a pending index (`intents`)
 * from the moment they are noted until the order consumes them, so the
 * abandoned-payment sweep reads the index, never the whole history.
 */
export class DaprOrderRepository implements OrderRepository {
  private readonly store: DaprStateStore<unknown>;
  readonly outbox: Outbox;
  private readonly intentIndex: PendingIndex;

  constructor(
    logger: Logger,
    private readonly hooks: CommitHooks = {},
  ) {
    this.store = new DaprStateStore(Component.orderStore);
    this.outbox = new Outbox(this.store, logger);
    this.intentIndex = new PendingIndex(this.store, 'intents');
  }

  async findById(orderId: string): Promise<OrderSnapshot | undefined> {
    return withoutOutbox<OrderSnapshot>((await this.store.get(orderKey(orderId)))?.value);
  }

  async load(orderId: string): Promise<{ order: OrderSnapshot; version: string } | undefined> {
    const read = await this.outbox.read<OrderSnapshot>(orderKey(orderId));
    if (!read.value || !read.etag) return undefined;
    return { order: read.value, version: read.etag };
  }

  async insert(order: OrderSnapshot, announcement: 'OrderPlaced'): Promise<void> {
    const read = await this.outbox.read<OrderSnapshot>(orderKey(order.orderId), [intentKey(order.orderId)]);
    const intent = read.also.get(intentKey(order.orderId)) as { value: StoredIntent; etag: string } | undefined;
    if (!intent || intent.value.claimed) throw new PaymentIntentClaimed(order.orderId);
    try {
      await this.writeAnnounced(read, order, announcement, [{ key: intentKey(order.orderId), remove: true, etag: intent.etag }]);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentIntentClaimed(order.orderId) : error;
    }
    // Consumed with the order: the sweep no longer needs to look at it. Written with the next hold of its shard
    // (PendingIndex.releaseSoon); if that never happens, the sweep finds the intent gone and tidies up.
    this.intentIndex.releaseSoon(intentKey(order.orderId), [order.orderId]);
  }

  async notePaymentIntent(intent: PaymentIntent): Promise<void> {
    await this.intentIndex.hold(intentKey(intent.orderId), intent.orderId, Date.parse(intent.notedAt));
    await this.intents().put(intentKey(intent.orderId), { ...intent, kind: 'payment-intent', claimed: false });
  }

  async abandonedPaymentIntents(notedBefore: Date): Promise<PaymentIntent[]> {
    const held = (await this.intentIndex.entries()).filter(({ entry }) =>
      Object.values(entry.holds).every((at) => at < notedBefore.getTime()),
    );
    const found = await this.store.readVersions(held.map(({ recordKey }) => recordKey));
    // Held but gone: consumed by an order whose release was lost. Nothing to settle; forget the hold.
    const gone = held.filter(({ recordKey }) => !found.has(recordKey));
    await Promise.allSettled(gone.map(({ recordKey, entry }) => this.intentIndex.release(recordKey, Object.keys(entry.holds))));
    return [...found.values()].map(({ value }) => {
      const { orderId, customerId, amountCents, notedAt } = value as StoredIntent;
      return { orderId, customerId, amountCents, notedAt };
    });
  }

  async claimPaymentIntent(orderId: string): Promise<boolean> {
    const stored = await this.intents().get(intentKey(orderId));
    if (!stored) return false;
    try {
      await this.intents().put(intentKey(orderId), { ...stored.value, claimed: true }, stored.etag);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentWriteError) return false;
      throw error;
    }
  }

  /** Writes every intent release still waiting for a hold to ride on (shutdown). */
  async flushReleases(): Promise<void> {
    await this.intentIndex.flushReleases();
  }

  async forgetPaymentIntent(orderId: string): Promise<void> {
    await this.intents().delete(intentKey(orderId));
    await this.intentIndex.release(intentKey(orderId), [orderId]);
  }

  async update(order: OrderSnapshot, version: string, announcement?: OrderAnnouncement): Promise<void> {
    // A conflict (readAt's or the write's) is the ConcurrentWriteError the use case's versioned update retries on.
    const read = await this.outbox.readAt<OrderSnapshot>(orderKey(order.orderId), version);
    if (announcement) await this.writeAnnounced(read, order, announcement);
    else await this.outbox.write(read, order, []);
  }

  private async writeAnnounced(
    read: OutboxRead<OrderSnapshot>,
    order: OrderSnapshot,
    announcement: OrderAnnouncement,
    alsoWrite: StateWrite[] = [],
  ) {
    const event = announcementEvent(announcement, order, new Date());
    await this.outbox.write(read, order, [event], {
      alsoWrite,
      beforeCommit: () => this.hooks.beforeCommit?.(order.orderId),
      afterCommit: () => this.hooks.afterCommit?.(order.orderId),
    });
  }

  private intents(): DaprStateStore<StoredIntent> {
    return this.store as DaprStateStore<StoredIntent>;
  }
}

/** An intent as stored: tagged, and whether the sweep has taken it. */
type StoredIntent = PaymentIntent & { kind: 'payment-intent'; claimed: boolean };

const orderKey = (orderId: string) => `order-${orderId}`;
const intentKey = (orderId: string) => `payment-intent-${orderId}`;
