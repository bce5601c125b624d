import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, TransactionalOutbox, type Logger, type StateWrite } from '@burger/service-kit';
import type { OrderSnapshot } from '../../domain/order.js';
import {
  OrderChangedMeanwhile,
  PaymentIntentClaimed,
  type OrderAnnouncement,
  type OrderRepository,
  type PaymentIntent,
} from '../../application/ports.js';
import { announcementEvent } from './order-announcements.js';

/** Test-only crash points around the commit (ORDER_FAULT_INJECTION); absent in normal runs. */
export interface CommitHooks {
  beforeCommit?(orderId: string): void;
  afterCommit?(orderId: string): void;
}

/**
 * Orders in the `orderstore` state store (PostgreSQL), one key per order, ETags
 * for concurrent writers. A change that is announced is written together with
 * its event in one state transaction (the outbox), then the event is relayed.
 */
export class DaprOrderRepository implements OrderRepository {
  private readonly store: DaprStateStore<OrderSnapshot>;
  private readonly intents: DaprStateStore<StoredIntent>;
  readonly outbox: TransactionalOutbox;

  constructor(
    client: DaprClient,
    logger: Logger,
    private readonly hooks: CommitHooks = {},
  ) {
    this.store = new DaprStateStore(client, Component.orderStore);
    this.intents = new DaprStateStore(client, Component.orderStore);
    this.outbox = new TransactionalOutbox(client, Component.orderStore, logger);
  }

  async findById(orderId: string): Promise<OrderSnapshot | undefined> {
    return (await this.store.get(orderKey(orderId)))?.value;
  }

  async load(orderId: string): Promise<{ order: OrderSnapshot; version: string } | undefined> {
    const stored = await this.store.get(orderKey(orderId));
    return stored && { order: stored.value, version: stored.etag };
  }

  async insert(order: OrderSnapshot, announcement: 'OrderPlaced'): Promise<void> {
    const intent = await this.intents.get(intentKey(order.orderId));
    if (!intent || intent.value.claimed) throw new PaymentIntentClaimed(order.orderId);
    try {
      await this.writeAnnounced(order, undefined, announcement, [{ key: intentKey(order.orderId), remove: true, etag: intent.etag }]);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentIntentClaimed(order.orderId) : error;
    }
  }

  async notePaymentIntent(intent: PaymentIntent): Promise<void> {
    await this.intents.put(intentKey(intent.orderId), { ...intent, kind: 'payment-intent', claimed: false });
  }

  async abandonedPaymentIntents(notedBefore: Date): Promise<PaymentIntent[]> {
    const before = notedBefore.toISOString();
    const found = (await this.intents.findEqual('kind', 'payment-intent', 'notedAt')).filter(({ value }) => value.notedAt < before);
    return found.map(({ value: { orderId, customerId, amountCents, notedAt } }) => ({ orderId, customerId, amountCents, notedAt }));
  }

  async claimPaymentIntent(orderId: string): Promise<boolean> {
    const stored = await this.intents.get(intentKey(orderId));
    if (!stored) return false;
    try {
      await this.intents.put(intentKey(orderId), { ...stored.value, claimed: true }, stored.etag);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentWriteError) return false;
      throw error;
    }
  }

  async forgetPaymentIntent(orderId: string): Promise<void> {
    await this.intents.delete(intentKey(orderId));
  }

  async update(order: OrderSnapshot, version: string, announcement?: OrderAnnouncement): Promise<void> {
    try {
      if (announcement) await this.writeAnnounced(order, version, announcement);
      else await this.store.put(orderKey(order.orderId), order, version);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new OrderChangedMeanwhile(order.orderId) : error;
    }
  }

  private async writeAnnounced(order: OrderSnapshot, version: string | undefined, announcement: OrderAnnouncement, alsoWrite: StateWrite[] = []): Promise<void> {
    const event = announcementEvent(announcement, order, new Date());
    this.hooks.beforeCommit?.(order.orderId);
    await this.store.putAll([{ key: orderKey(order.orderId), value: order, etag: version }, this.outbox.entryFor(event), ...alsoWrite]);
    this.hooks.afterCommit?.(order.orderId);
    await this.outbox.relayWithin(event);
  }
}

/** An intent as stored: tagged for the Query API, and whether the sweep has taken it. */
type StoredIntent = PaymentIntent & { kind: 'payment-intent'; claimed: boolean };

const orderKey = (orderId: string) => `order-${orderId}`;
const intentKey = (orderId: string) => `payment-intent-${orderId}`;
