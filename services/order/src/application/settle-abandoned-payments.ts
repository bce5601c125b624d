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

  async execute(): Promise<Settlement> {
    const { orders, clock, abandonAfterMs } = this.deps;
    const abandoned = await orders.abandonedPaymentIntents(new Date(clock.now().getTime() - abandonAfterMs));
    const settlement: Settlement = { settled: [], failed: [] };
    // A few at a time: a backlog (after an outage) clears quickly without flooding pay. One refund
    // failing does not hold up the others (it is tried again next round); a whole batch failing
    // means pay is unreachable, so the round ends there instead of tripping its breaker again.
    for (let i = 0; i < abandoned.length; i += PARALLEL) {
      const batch = abandoned.slice(i, i + PARALLEL).map(({ orderId }) => orderId);
      const results = await Promise.allSettled(batch.map((orderId) => this.settle(orderId)));
      results.forEach((result, at) => {
        if (result.status === 'rejected') settlement.failed.push({ orderId: batch[at]!, error: result.reason });
        else if (result.value) settlement.settled.push(batch[at]!);
      });
      if (results.every((result) => result.status === 'rejected')) break;
    }
    return settlement;
  }

  /** True when refunded here; false when a late commit or another sweep claimed it first. */
  private async settle(orderId: string): Promise<boolean> {
    const { orders, payments } = this.deps;
    if (!(await orders.claimPaymentIntent(orderId))) return false;
    await payments.refund(orderId);
    await orders.forgetPaymentIntent(orderId);
    return true;
  }
}

export interface Settlement {
  settled: string[];
  failed: Array<{ orderId: string; error: unknown }>;
}
