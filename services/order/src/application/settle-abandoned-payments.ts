import type { Clock, OrderRepository, PaymentGateway } from './ports.js';

const PARALLEL = 8;

/**
 * Charged, but the order was never stored (the process died between pay's answer
 * and the commit, or pay's answer never came): give the money back. An intent
 * older than `abandonAfterMs` belongs to a request that is certainly over; the
 * claim makes the sweep and a late commit exclude each other.
 */
export class SettleAbandonedPayments {
  constructor(private readonly deps: { orders: OrderRepository; payments: PaymentGateway; clock: Clock; abandonAfterMs: number }) {}

  async execute(): Promise<string[]> {
    const { orders, payments, clock, abandonAfterMs } = this.deps;
    const abandoned = await orders.abandonedPaymentIntents(new Date(clock.now().getTime() - abandonAfterMs));
    const settled: string[] = [];
    // A few at a time: a backlog (after an outage) clears quickly without flooding pay.
    for (let i = 0; i < abandoned.length; i += PARALLEL) {
      await Promise.all(abandoned.slice(i, i + PARALLEL).map(async ({ orderId }) => {
        if (!(await orders.claimPaymentIntent(orderId))) return;
        await payments.refund(orderId);
        await orders.forgetPaymentIntent(orderId);
        settled.push(orderId);
      }));
    }
    return settled;
  }
}
