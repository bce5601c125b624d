import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, KeyedTurns, retryOnConflict } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';
import { PaymentAlreadyRecorded, PaymentChangedMeanwhile, type PaymentRepository } from '../../application/ports.js';

/**
 * Payment history in `paymentstore` (MongoDB on Kubernetes, SQLite locally):
 * one key per order, plus a per-customer index of order ids. Only key reads and
 * ETag-guarded writes, which every state store supports (no query API), so the
 * store can be swapped in YAML.
 */
export class DaprPaymentRepository implements PaymentRepository {
  private readonly payments: DaprStateStore<Payment>;
  private readonly indexes: DaprStateStore<string[]>;
  /** A customer placing many orders at once makes their index a hot key. */
  private readonly indexTurns = new KeyedTurns();

  constructor(client: DaprClient) {
    this.payments = new DaprStateStore(client, Component.paymentStore);
    this.indexes = new DaprStateStore(client, Component.paymentStore);
  }

  async findByOrder(orderId: string): Promise<Payment | undefined> {
    return (await this.payments.get(paymentKey(orderId)))?.value;
  }

  async load(orderId: string): Promise<{ payment: Payment; version: string } | undefined> {
    const stored = await this.payments.get(paymentKey(orderId));
    return stored && { payment: stored.value, version: stored.etag };
  }

  async insert(payment: Payment): Promise<void> {
    try {
      await this.payments.put(paymentKey(payment.orderId), payment);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentAlreadyRecorded(payment.orderId) : error;
    }
    await this.addToCustomerIndex(payment.customerId, payment.orderId);
  }

  async update(payment: Payment, version: string): Promise<void> {
    try {
      await this.payments.put(paymentKey(payment.orderId), payment, version);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentChangedMeanwhile(payment.orderId) : error;
    }
  }

  async listByCustomer(customerId: string): Promise<Payment[]> {
    const orderIds = (await this.indexes.get(customerKey(customerId)))?.value ?? [];
    return this.payments.getMany(orderIds.map(paymentKey));
  }

  private async addToCustomerIndex(customerId: string, orderId: string): Promise<void> {
    const key = customerKey(customerId);
    await this.indexTurns.run(key, () =>
      retryOnConflict(async () => {
        const stored = await this.indexes.get(key);
        if (stored?.value.includes(orderId)) return;
        await this.indexes.put(key, [orderId, ...(stored?.value ?? [])], stored?.etag);
      }, (error) => error instanceof ConcurrentWriteError),
    );
  }
}

const paymentKey = (orderId: string) => `payment-${orderId}`;
const customerKey = (customerId: string) => `customer-payments-${customerId}`;
