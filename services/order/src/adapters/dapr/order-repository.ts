import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { DaprStateStore } from '@burger/service-kit';
import type { OrderSnapshot } from '../../domain/order.js';
import type { OrderRepository } from '../../application/ports.js';

/** Orders in the `orderstore` state store (PostgreSQL), one key per order. */
export class DaprOrderRepository implements OrderRepository {
  private readonly store: DaprStateStore<OrderSnapshot>;

  constructor(client: DaprClient) {
    this.store = new DaprStateStore(client, Component.orderStore);
  }

  async findById(orderId: string): Promise<OrderSnapshot | undefined> {
    return (await this.store.get(orderKey(orderId)))?.value;
  }

  async insert(order: OrderSnapshot): Promise<void> {
    await this.store.put(orderKey(order.orderId), order);
  }
}

const orderKey = (orderId: string) => `order-${orderId}`;
