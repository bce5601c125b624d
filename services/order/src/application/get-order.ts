import type { OrderSnapshot } from '../domain/order.js';
import { OrderNotFound } from './errors.js';
import type { OrderRepository } from './ports.js';

export class GetOrder {
  constructor(private readonly orders: OrderRepository) {}

  async execute(orderId: string): Promise<OrderSnapshot> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new OrderNotFound(orderId);
    return order;
  }
}
