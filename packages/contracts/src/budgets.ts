/**
 * The time budgets of one request, in one place. The Resiliency YAML
 * (dapr-config/resiliency/resiliency.yaml, copied to k8s/base/dapr) must say the same:
 * test/manifests/budgets.test.ts reads it and fails when the two disagree.
 */
export interface CallBudget {
  /** Per attempt (Resiliency `timeouts`). */
  timeoutMs: number;
  /** Attempts after the first (Resiliency `retries.maxRetries`). */
  retries: number;
  /** Constant pause between attempts (Resiliency `retries.duration`). */
  retryDelayMs: number;
}

export const Budgets = {
  /** How long the gateway waits for a service behind it before answering the client. */
  gatewayRequestMs: 12_000,
  /** The sidecar's policy for order → pay (Resiliency policies `payment`). */
  payCall: { timeoutMs: 2_000, retries: 2, retryDelayMs: 200 } satisfies CallBudget,
  /** order's own wait for pay, around the sidecar's policy (so it never gives up first). */
  payWaitMs: 8_000,
  /** The sidecar's policy for state and broker calls (Resiliency policies `storage`). */
  storageCall: { timeoutMs: 5_000, retries: 3, retryDelayMs: 200 } satisfies CallBudget,
  /** Slack for clocks, scheduling and GC pauses. */
  marginMs: 5_000,
} as const;

export type Budgets = typeof Budgets;

/** The longest a call can take before the sidecar gives up on it: every attempt times out. */
export function worstCaseMs(call: CallBudget): number {
  return call.timeoutMs * (call.retries + 1) + call.retryDelayMs * call.retries;
}

/**
 * The youngest a payment intent may be when the abandoned-payment sweep refunds it. A live
 * request can still be inside the gateway's budget, waiting for pay (order's wait, at least
 * the sidecar's worst case) and then for a storage write retried to the end; younger than
 * that, the sweep would claim an intent whose order is about to be stored (the claim keeps
 * it correct, but the customer's order would be refused and refunded).
 */
export function minimumAbandonedPaymentAgeMs(budgets: Budgets = Budgets): number {
  return (
    budgets.gatewayRequestMs +
    Math.max(budgets.payWaitMs, worstCaseMs(budgets.payCall)) +
    worstCaseMs(budgets.storageCall) +
    budgets.marginMs
  );
}

/**
 * The youngest an outbox hold may be when a sweep drops it as abandoned: its writer may still be inside the
 * hold's own write and then the record's write, each retried by the sidecar to the end.
 */
export function minimumAbandonedHoldAgeMs(budgets: Budgets = Budgets): number {
  return 2 * worstCaseMs(budgets.storageCall) + budgets.marginMs;
}
