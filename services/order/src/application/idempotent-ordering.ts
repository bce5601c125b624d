import type { OrderSnapshot } from '../domain/order.js';
import type { CancelOrder } from './cancel-order.js';
import { PaymentDeclined } from './errors.js';
import {
  fingerprintOf,
  IdempotencyKeyInUse,
  IdempotencyKeyReused,
  type IdempotencyKey,
  type IdempotencyRecord,
  type IdempotencyRecords,
  type IdempotentOutcome,
} from './idempotency.js';
import type { PlaceOrder, PlaceOrderCommand } from './place-order.js';
import type { Clock, IdGenerator, OrderRepository } from './ports.js';

export interface IdempotentOrderingDeps {
  records: IdempotencyRecords;
  orders: OrderRepository;
  placeOrder: PlaceOrder;
  cancelOrder: CancelOrder;
  clock: Clock;
  ids: IdGenerator;
  /** How long an attempt holds its key: the longest a live request can run (the budgets). */
  leaseMs: number;
  /** How long a second request with the key waits for the first one's answer before a 409. */
  waitMs: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The answer could not be noted on the key (it is still given); the lease runs out instead. */
  onRecordFailed?: (error: unknown) => void;
}

/** What one kind of request does under a key. */
interface Plan {
  fingerprint: string;
  /** The order id an attempt works on: a fresh one for each placing attempt. */
  orderIdForAttempt(): string;
  run(orderId: string): Promise<OrderSnapshot>;
  /** Before taking over an attempt that ran out of time or failed: its order, if it got stored after all. */
  recover(orderId: string): Promise<OrderSnapshot | undefined>;
}

type Decision = { replay: IdempotentOutcome } | { run: string };

/**
 * Place and cancel, safe to retry: the same key and the same command give the first answer
 * again (one order, one charge); the same key with another command is refused; a request
 * arriving while the first still runs waits for its answer a little, then hears "retry".
 * Without a key, the use cases run as they are.
 */
export class IdempotentOrdering {
  constructor(private readonly deps: IdempotentOrderingDeps) {}

  place(command: PlaceOrderCommand, idempotencyKey?: string): Promise<OrderSnapshot> {
    const { placeOrder, orders, ids } = this.deps;
    if (idempotencyKey === undefined) return placeOrder.execute(command);
    return this.once(
      { accountId: command.customerId, key: idempotencyKey },
      {
        fingerprint: fingerprintOf('place-order', {
          storeId: command.storeId,
          lines: command.lines.map((line) => [line.menuItemId, line.quantity]),
        }),
        orderIdForAttempt: () => ids.next(),
        run: (orderId) => placeOrder.execute(command, { orderId }),
        // Claiming the earlier attempt's intent first means it cannot commit behind our back; its charge
        // (if any) is then the abandoned-payment sweep's to refund.
        recover: async (orderId) => {
          await orders.claimPaymentIntent(orderId);
          return orders.findById(orderId);
        },
      },
    );
  }

  cancel(command: { orderId: string; customerId: string }, idempotencyKey?: string): Promise<OrderSnapshot> {
    const { cancelOrder } = this.deps;
    if (idempotencyKey === undefined) return cancelOrder.execute(command);
    return this.once(
      { accountId: command.customerId, key: idempotencyKey },
      {
        fingerprint: fingerprintOf('cancel-order', { orderId: command.orderId }),
        orderIdForAttempt: () => command.orderId,
        run: () => cancelOrder.execute(command),
        // Asking again changes nothing that was already asked.
        recover: async () => undefined,
      },
    );
  }

  private async once(key: IdempotencyKey, plan: Plan): Promise<OrderSnapshot> {
    const attemptId = this.deps.ids.next();
    const decision = await this.decide(key, plan, attemptId);
    if ('replay' in decision) return replay(decision.replay);
    try {
      const order = await plan.run(decision.run);
      await this.note(key, attemptId, { outcome: { kind: 'order', order } });
      return order;
    } catch (error) {
      // A decline is final and repeated as it was; any other failure gave no answer worth
      // repeating, so the key is let go at once and the next request with it tries again.
      if (error instanceof PaymentDeclined) await this.note(key, attemptId, { outcome: { kind: 'declined', reason: error.reason } });
      else await this.note(key, attemptId, { leaseUntil: this.deps.clock.now().toISOString() });
      throw error;
    }
  }

  /** Take the key (new, or left by an attempt that is over), or wait for the answer of the one holding it. */
  private async decide(key: IdempotencyKey, plan: Plan, attemptId: string): Promise<Decision> {
    const { records, clock, waitMs } = this.deps;
    const fresh = (): IdempotencyRecord => ({
      fingerprint: plan.fingerprint,
      attemptId,
      orderId: plan.orderIdForAttempt(),
      leaseUntil: this.leaseFromNow(),
    });
    const giveUpAt = clock.now().getTime() + waitMs;
    for (;;) {
      const mine = fresh();
      const found = await records.find(key);
      if (!found) {
        if (await records.create(key, mine)) return { run: mine.orderId };
        continue; // someone created it just now: look again
      }
      const { record, version } = found;
      if (record.fingerprint !== plan.fingerprint) throw new IdempotencyKeyReused();
      if (record.outcome) return { replay: record.outcome };
      if (record.attemptId === attemptId) return { run: record.orderId };
      if (Date.parse(record.leaseUntil) <= clock.now().getTime()) {
        if (!(await records.replace(key, mine, version))) continue;
        const earlier = await plan.recover(record.orderId);
        if (!earlier) return { run: mine.orderId };
        await this.note(key, attemptId, { outcome: { kind: 'order', order: earlier } });
        return { replay: { kind: 'order', order: earlier } };
      }
      if (clock.now().getTime() >= giveUpAt) throw new IdempotencyKeyInUse(1);
      await (this.deps.sleep ?? sleep)(this.deps.pollMs ?? 100);
    }
  }

  /** Notes the attempt's end on its key, unless another attempt took the key over meanwhile. */
  private async note(key: IdempotencyKey, attemptId: string, change: Partial<IdempotencyRecord>): Promise<void> {
    try {
      const found = await this.deps.records.find(key);
      if (found?.record.attemptId !== attemptId) return;
      await this.deps.records.replace(key, { ...found.record, ...change }, found.version);
    } catch (error) {
      this.deps.onRecordFailed?.(error);
    }
  }

  private leaseFromNow(): string {
    return new Date(this.deps.clock.now().getTime() + this.deps.leaseMs).toISOString();
  }
}

function replay(outcome: IdempotentOutcome): OrderSnapshot {
  if (outcome.kind === 'declined') throw new PaymentDeclined(outcome.reason);
  return outcome.order;
}

const sleep = (ms: number) => new Promise<void>((resume) => setTimeout(resume, ms));
