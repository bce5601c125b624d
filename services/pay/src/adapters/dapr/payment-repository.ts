import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, KeyedTurns, Outbox, retryOnConflict, withoutOutbox, type Logger } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';
import { PaymentAlreadyRecorded, PaymentChangedMeanwhile, type HistoryPage, type PaymentRepository } from '../../application/ports.js';
import { paymentApproved, paymentRefunded } from './payment-events.js';

/** Order ids per history page: the page being filled is rewritten on each payment, so it stays small. */
export const HISTORY_PAGE_SIZE = 50;

/**
 * Payment history in `paymentstore` (MongoDB on Kubernetes, SQLite locally):
 * one key per order, carrying its events until they are published (outbox), and
 * a per-customer history in pages: the newest page is filled, then frozen under
 * its number, so no record grows with a customer's history. Only key reads and
 * ETag-guarded writes, which every state store supports (no query API), so the
 * store can be swapped in YAML.
 */
export class DaprPaymentRepository implements PaymentRepository {
  private readonly store: DaprStateStore<unknown>;
  readonly outbox: Outbox;
  /** A customer placing many orders at once makes their newest page a hot key. */
  private readonly historyTurns = new KeyedTurns();

  constructor(
    client: DaprClient,
    logger: Logger,
    /** Test-only crash point (PAY_FAULT_INJECTION). */
    private readonly hooks: { afterCommit?(orderId: string): void } = {},
  ) {
    this.store = new DaprStateStore(client, Component.paymentStore);
    this.outbox = new Outbox(this.store, logger);
  }

  async findByOrder(orderId: string): Promise<Payment | undefined> {
    return withoutOutbox<Payment>((await this.store.get(paymentKey(orderId)))?.value);
  }

  async load(orderId: string): Promise<{ payment: Payment; version: string } | undefined> {
    const read = await this.outbox.read<Payment>(paymentKey(orderId));
    return read.value && read.etag ? { payment: read.value, version: read.etag } : undefined;
  }

  async insert(payment: Payment): Promise<void> {
    const read = await this.outbox.read<Payment>(paymentKey(payment.orderId));
    if (read.value) throw new PaymentAlreadyRecorded(payment.orderId);
    try {
      await this.outbox.write(read, payment, [paymentApproved(payment)], { afterCommit: () => this.hooks.afterCommit?.(payment.orderId) });
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentAlreadyRecorded(payment.orderId) : error;
    }
    await this.addToHistory(payment.customerId, payment.orderId);
  }

  async update(payment: Payment, version: string, announcement?: 'PaymentRefunded'): Promise<void> {
    try {
      const read = await this.outbox.readAt<Payment>(paymentKey(payment.orderId), version);
      await this.outbox.write(read, payment, announcement ? [paymentRefunded(payment)] : [], { afterCommit: () => this.hooks.afterCommit?.(payment.orderId) });
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentChangedMeanwhile(payment.orderId) : error;
    }
  }

  /**
   * Newest first, `limit` at a time. The cursor is `<page>:<offset>` (`head` or a frozen page's number): a new
   * payment between two calls shifts the head by one, so a page may repeat an entry, never skip one.
   */
  async listByCustomer(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<HistoryPage> {
    const head = ((await this.store.get(historyKey(customerId)))?.value as HistoryHead | undefined) ?? { orderIds: [], frozenPages: 0 };
    const older = (at: Position['page']): Position['page'] | undefined => (at === 'head' ? (head.frozenPages > 0 ? head.frozenPages - 1 : undefined) : at > 0 ? at - 1 : undefined);
    let at: Position | undefined = page.cursor ? parseCursor(page.cursor) : { page: 'head', offset: 0 };
    const orderIds: string[] = [];
    while (at && orderIds.length < page.limit) {
      const entries = at.page === 'head' ? head.orderIds : (((await this.store.get(pageKey(customerId, at.page)))?.value as string[] | undefined) ?? []);
      const taken = entries.slice(at.offset, at.offset + page.limit - orderIds.length);
      orderIds.push(...taken);
      const offset = at.offset + taken.length;
      const next = older(at.page);
      at = offset < entries.length ? { page: at.page, offset } : next === undefined ? undefined : { page: next, offset: 0 };
    }
    const payments = (await this.store.getMany(orderIds.map(paymentKey))).map((stored) => withoutOutbox<Payment>(stored)!);
    return { payments, ...(at ? { nextCursor: `${at.page}:${at.offset}` } : {}) };
  }

  private async addToHistory(customerId: string, orderId: string): Promise<void> {
    const key = historyKey(customerId);
    await this.historyTurns.run(key, () =>
      retryOnConflict(async () => {
        const stored = await this.store.get(key);
        const head = (stored?.value as HistoryHead | undefined) ?? { orderIds: [], frozenPages: 0 };
        if (head.orderIds.includes(orderId)) return;
        if (head.orderIds.length >= HISTORY_PAGE_SIZE) {
          // Freeze the full page under its number (a first write: a retry after a crash finds it there), then start anew.
          await this.store.put(pageKey(customerId, head.frozenPages), head.orderIds).catch((error: unknown) => {
            if (!(error instanceof ConcurrentWriteError)) throw error;
          });
          await this.store.put(key, { orderIds: [orderId], frozenPages: head.frozenPages + 1 }, stored?.etag);
          return;
        }
        await this.store.put(key, { ...head, orderIds: [orderId, ...head.orderIds] }, stored?.etag);
      }, (error) => error instanceof ConcurrentWriteError),
    );
  }
}

interface Position {
  page: 'head' | number;
  offset: number;
}

function parseCursor(cursor: string): Position | undefined {
  const match = /^(head|\d{1,9}):(\d{1,9})$/.exec(cursor);
  if (!match) return undefined;
  return { page: match[1] === 'head' ? 'head' : Number(match[1]), offset: Number(match[2]) };
}

/** The page being filled (newest first) and how many full pages were frozen before it. */
interface HistoryHead {
  orderIds: string[];
  frozenPages: number;
}

const paymentKey = (orderId: string) => `payment-${orderId}`;
const historyKey = (customerId: string) => `customer-payments-${customerId}`;
const pageKey = (customerId: string, page: number) => `customer-payments-${customerId}-page-${page}`;
