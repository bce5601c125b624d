import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, Outbox, PagedList, withoutOutbox, type Logger } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';
import { PaymentAlreadyRecorded, type HistoryPage, type PaymentRepository } from '../../application/ports.js';
import { paymentApproved, paymentRefunded } from './payment-events.js';

/** Order ids per history page: only the page being filled is rewritten on each payment, so it stays small. */
export const HISTORY_PAGE_SIZE = 50;

/**
 * Payment history in `paymentstore` (MongoDB on Kubernetes, SQLite locally):
 * one key per order, carrying its events until they are published (outbox), and
 * a per-customer history in pages (PagedList), so no record grows with a customer's history. Only key reads and
 * ETag-guarded writes, which every state store supports (no query API), so the
 * store can be swapped in YAML.
 */
export class DaprPaymentRepository implements PaymentRepository {
  private readonly store: DaprStateStore<unknown>;
  readonly outbox: Outbox;
  /** Each customer's order ids, newest first, in pages that never grow past HISTORY_PAGE_SIZE. */
  private readonly history: PagedList<string>;

  constructor(
    logger: Logger,
    /** Test-only crash point (PAY_FAULT_INJECTION). */
    private readonly hooks: PaymentCommitHooks = {},
  ) {
    this.store = new DaprStateStore(Component.paymentStore);
    this.outbox = new Outbox(this.store, logger);
    this.history = new PagedList<string>(this.store, 'customer-payments', (orderId) => orderId, HISTORY_PAGE_SIZE);
  }

  async findByOrder(orderId: string): Promise<Payment | undefined> {
    return withoutOutbox<Payment>((await this.store.get(paymentKey(orderId)))?.value);
  }

  async load(orderId: string): Promise<{ payment: Payment; version: string } | undefined> {
    const read = await this.outbox.read<Payment>(paymentKey(orderId));
    return read.value && read.etag ? { payment: read.value, version: read.etag } : undefined;
  }

  async insert(payment: Payment): Promise<void> {
    // The customer's history head comes along in the same round trip, for the add below (one sidecar call fewer).
    const headKey = this.history.headKey(payment.customerId);
    const headMark = this.history.markHeadOf(payment.customerId);
    const read = await this.outbox.read<Payment>(paymentKey(payment.orderId), [headKey]);
    if (read.value) throw new PaymentAlreadyRecorded(payment.orderId, read.value);
    try {
      await this.outbox.write(read, payment, [paymentApproved(payment)], { afterCommit: () => this.hooks.afterCommit?.(payment) });
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentAlreadyRecorded(payment.orderId) : error;
    }
    await this.history.add(payment.customerId, payment.orderId, { read: read.also.get(headKey), mark: headMark });
  }

  async update(payment: Payment, version: string, announcement?: 'PaymentRefunded'): Promise<void> {
    // A conflict (readAt's or the write's) is the ConcurrentWriteError the refund's versioned update retries on.
    const read = await this.outbox.readAt<Payment>(paymentKey(payment.orderId), version);
    await this.outbox.write(read, payment, announcement ? [paymentRefunded(payment)] : [], {
      afterCommit: () => this.hooks.afterCommit?.(payment),
    });
  }

  async listByCustomer(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<HistoryPage> {
    const { items, nextCursor } = await this.history.page(customerId, page);
    const payments = (await this.store.getMany(items.map(paymentKey))).map((stored) => withoutOutbox<Payment>(stored)!);
    return { payments, ...(nextCursor ? { nextCursor } : {}) };
  }
}

/** Called once a payment's write has committed, before its events are published. */
export interface PaymentCommitHooks {
  afterCommit?(payment: Payment): void;
}

const paymentKey = (orderId: string) => `payment-${orderId}`;
