import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import type { OrderSnapshot } from '../../domain/order.js';
import { OrderChangedMeanwhile, type OrderRepository } from '../../application/ports.js';

/** Orders in the `orderstore` state store (PostgreSQL), one key per order, ETags for concurrent writers. */
export class DaprOrderRepository implements OrderRepository {
  private readonly store: DaprStateStore<OrderSnapshot>;

  constructor(client: DaprClient) {
    this.store = new DaprStateStore(client, Component.orderStore);
  }

  async findById(orderId: string): Promise<OrderSnapshot | undefined> {
    return (await this.store.get(orderKey(orderId)))?.value;
  }

  async load(orderId: string): Promise<{ order: OrderSnapshot; version: string } | undefined> {
    const stored = await this.store.get(orderKey(orderId));
    return stored && { order: stored.value, version: stored.etag };
  }

  async insert(order: OrderSnapshot): Promise<void> {
    await this.store.put(orderKey(order.orderId), order);
  }

  async update(order: OrderSnapshot, version: string): Promise<void> {
    try {
      await this.store.put(orderKey(order.orderId), order, version);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new OrderChangedMeanwhile(order.orderId) : error;
    }
  }
}

const orderKey = (orderId: string) => `order-${orderId}`;
