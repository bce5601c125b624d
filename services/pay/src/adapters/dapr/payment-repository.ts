import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';
import { PaymentAlreadyRecorded, type PaymentRepository } from '../../application/ports.js';

/** Payment history in `paymentstore` (MongoDB on Kubernetes, SQLite locally), keyed by order. */
export class DaprPaymentRepository implements PaymentRepository {
  private readonly store: DaprStateStore<Payment>;

  constructor(client: DaprClient) {
    this.store = new DaprStateStore(client, Component.paymentStore);
  }

  async findByOrder(orderId: string): Promise<Payment | undefined> {
    return (await this.store.get(paymentKey(orderId)))?.value;
  }

  async insert(payment: Payment): Promise<void> {
    try {
      await this.store.put(paymentKey(payment.orderId), payment);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new PaymentAlreadyRecorded(payment.orderId) : error;
    }
  }
}

const paymentKey = (orderId: string) => `payment-${orderId}`;
