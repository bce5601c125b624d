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

  /** `orderId`: the id to charge and store under, when the caller reserved one (an idempotent request). */
  async execute(command: PlaceOrderCommand, options: { orderId?: string } = {}): Promise<OrderSnapshot> {
    const { menu, payments, clock, ids } = this.deps;
    const storeId = command.storeId ?? (await this.favoriteOf(command.customerId));
    const priced = priceOrder(
      { orderId: options.orderId ?? ids.next(), customerId: command.customerId, storeId, lines: command.lines },
      menu,
    );
    // Noted before charging: if this process dies before the order is stored, the sweep refunds.
    await this.deps.orders.notePaymentIntent({
      orderId: priced.orderId,
      customerId: priced.customerId,
      amountCents: priced.totalCents,
      notedAt: clock.now().toISOString(),
    });
    const payment = await payments
      .approve({ orderId: priced.orderId, customerId: priced.customerId, storeId, amountCents: priced.totalCents })
      .catch(async (error: unknown) => {
        // Declined is pay's final answer: nothing charged, nothing to settle. Any other failure may hide a
        // charge (a retried call that reached pay before the breaker opened), so the sweep settles it.
        if (error instanceof PaymentDeclined) {
          await this.deps.orders.forgetPaymentIntent(priced.orderId).catch(() => undefined);
        }
        throw error;
      });
    return this.record(paidOrder(priced, payment.paymentId, clock.now()));
  }

  private async favoriteOf(customerId: string): Promise<string> {
    const favorite = await this.deps.favorites.find(customerId);
    if (!favorite) throw new NoStoreChosen(customerId);
    return favorite;
  }

  /**
   * A failed write does not say whether it committed: a reply lost after the commit, then the
   * sidecar's retry meeting the ETag of the intent the commit consumed, looks like any failure.
   * So look: an order that exists stands (answered, never refunded); money goes back here only
   * when the order provably can never exist; anything else is left to the abandoned-payment sweep.
   */
  private async record(order: OrderSnapshot): Promise<OrderSnapshot> {
    try {
      await this.deps.orders.insert(order, 'OrderPlaced');
      return order;
    } catch (error) {
      const found = await this.afterFailedInsert(order.orderId).catch(() => 'unknown' as const);
      if (typeof found === 'object') return found;
      if (found === 'never-stored') await this.refundNeverStored(order.orderId);
      throw error;
    }
  }

  /** The order as stored; 'never-stored' when that is certain now and for ever; otherwise 'unknown'. */
  private async afterFailedInsert(orderId: string): Promise<OrderSnapshot | 'never-stored' | 'unknown'> {
    const { orders } = this.deps;
    const stored = await orders.findById(orderId);
    if (stored) return stored;
    // The commit consumes the intent at its version, so holding the claim rules out a commit now
    // or later. A claim that fails means the intent is gone: committed meanwhile, or already settled.
    if (await orders.claimPaymentIntent(orderId)) return 'never-stored';
    return (await orders.findById(orderId)) ?? 'unknown';
  }

  /** Refunded at once rather than after the sweep's wait; if pay cannot be reached, the claimed intent stays for the sweep. */
  private async refundNeverStored(orderId: string): Promise<void> {
    try {
      await this.deps.payments.refund(orderId);
      await this.deps.orders.forgetPaymentIntent(orderId);
    } catch (refundError) {
      this.deps.onCompensationFailed?.(orderId, refundError);
    }
  }
}
