import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';
import { PaymentAlreadyRecorded, PaymentChangedMeanwhile, type PaymentRepository } from '../../application/ports.js';

const MAX_ATTEMPTS = 8;

/**
 * Payment history in `paymentstore` (MongoDB on Kubernetes, SQLite locally):
 * one key per order, plus a per-customer index of order ids. Only key reads and
 * ETag-guarded writes, which every state store supports (no query API), so the
 * store can be swapped in YAML.
 */
export class DaprPaymentRepository implements PaymentRepository {
  private readonly payments: DaprStateStore<Payment>;
  private readonly indexes: DaprStateStore<string[]>;

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
    for (let attempt = 1; ; attempt++) {
      const stored = await this.indexes.get(customerKey(customerId));
      if (stored?.value.includes(orderId)) return;
      try {
        await this.indexes.put(customerKey(customerId), [orderId, ...(stored?.value ?? [])], stored?.etag);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrentWriteError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

const paymentKey = (orderId: string) => `payment-${orderId}`;
const customerKey = (customerId: string) => `customer-payments-${customerId}`;
