import type { Menu } from '../domain/menu.js';
import { paidOrder, priceOrder, type OrderLine, type OrderSnapshot } from '../domain/order.js';
import { NoStoreChosen, PaymentDeclined } from './errors.js';
import type { Clock, FavoriteStores, IdGenerator, OrderRepository, PaymentGateway } from './ports.js';

export interface PlaceOrderCommand {
  customerId: string;
  /** Without it, the order goes to the customer's favourite branch. */
  storeId?: string | undefined;
  lines: OrderLine[];
}

export interface PlaceOrderDeps {
  menu: Menu;
  orders: OrderRepository;
  favorites: FavoriteStores;
  payments: PaymentGateway;
  clock: Clock;
  ids: IdGenerator;
  onCompensationFailed?: (orderId: string, error: unknown) => void;
}

/**
 * Price → pay (synchronously) → store with its announcement. Payment comes first
 * so that an order whose payment did not succeed never exists, not even for a
 * moment; the order and its OrderPlaced event are stored in one write (outbox).
 */
export class PlaceOrder {
  constructor(private readonly deps: PlaceOrderDeps) {}

  async execute(command: PlaceOrderCommand): Promise<OrderSnapshot> {
    const { menu, payments, clock, ids } = this.deps;
    const storeId = command.storeId ?? (await this.favoriteOf(command.customerId));
    const priced = priceOrder({ orderId: ids.next(), customerId: command.customerId, storeId, lines: command.lines }, menu);
    // Noted before charging: if this process dies before the order is stored, the sweep refunds.
    await this.deps.orders.notePaymentIntent({ orderId: priced.orderId, customerId: priced.customerId, amountCents: priced.totalCents, notedAt: clock.now().toISOString() });
    const payment = await payments.approve({ orderId: priced.orderId, customerId: priced.customerId, storeId, amountCents: priced.totalCents }).catch(async (error: unknown) => {
      // Declined is pay's final answer: nothing charged, nothing to settle. Any other failure may hide a
      // charge (a retried call that reached pay before the breaker opened), so the sweep settles it.
      if (error instanceof PaymentDeclined) {
        await this.deps.orders.forgetPaymentIntent(priced.orderId).catch(() => undefined);
      }
      throw error;
    });
    const order = paidOrder(priced, payment.paymentId, clock.now());
    await this.record(order);
    return order;
  }

  private async favoriteOf(customerId: string): Promise<string> {
    const favorite = await this.deps.favorites.find(customerId);
    if (!favorite) throw new NoStoreChosen(customerId);
    return favorite;
  }

  /** Charged but not recorded must not stay that way: give the money back, then report the failure. */
  private async record(order: OrderSnapshot): Promise<void> {
    try {
      await this.deps.orders.insert(order, 'OrderPlaced');
    } catch (error) {
      await this.deps.payments.refund(order.orderId).catch((refundError: unknown) => this.deps.onCompensationFailed?.(order.orderId, refundError));
      throw error;
    }
  }
}
