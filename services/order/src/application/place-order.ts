import type { Menu } from '../domain/menu.js';
import { paidOrder, priceOrder, type OrderLine, type OrderSnapshot } from '../domain/order.js';
import type { Clock, IdGenerator, OrderEvents, OrderRepository, PaymentGateway } from './ports.js';

export interface PlaceOrderCommand {
  customerId: string;
  storeId: string;
  lines: OrderLine[];
}

/**
 * Price → pay (synchronously) → store → announce. Payment comes first so that an
 * order whose payment did not succeed never exists, not even for a moment.
 */
export class PlaceOrder {
  constructor(
    private readonly deps: {
      menu: Menu;
      orders: OrderRepository;
      payments: PaymentGateway;
      events: OrderEvents;
      clock: Clock;
      ids: IdGenerator;
    },
  ) {}

  async execute(command: PlaceOrderCommand): Promise<OrderSnapshot> {
    const { menu, orders, payments, events, clock, ids } = this.deps;
    const priced = priceOrder({ orderId: ids.next(), ...command }, menu);
    const payment = await payments.approve({ orderId: priced.orderId, customerId: priced.customerId, amountCents: priced.totalCents });
    const order = paidOrder(priced, payment.paymentId, clock.now());
    await orders.insert(order);
    await events.orderPlaced(order);
    return order;
  }
}
