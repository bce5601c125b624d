import { ascending, percentile } from './stats.js';

export interface LoadResult {
  concurrency: number;
  seconds: number;
  completed: number;
  errors: number;
  firstError?: string;
  ordersPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
}

/** How long a refusal asked the client to stay away (503 + Retry-After), or 0. */
export const retryAfterOf = (error: unknown): number =>
  typeof error === 'object' && error !== null && 'retryAfterMs' in error && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : 0;

/** One placement: resolves with the orderId on success, throws (with a reason) otherwise. */
/** Places order number `n` for client number `client` (0 … concurrency − 1): a client may keep its own connection and account. */
export type PlaceOne = (n: number, client: number) => Promise<string>;

/**
 * Closed loop: `concurrency` clients each place an order, wait for the answer and
 * place the next, for `durationMs` after a warm-up whose calls are not counted.
 * Every accepted order is reported with the moment it was accepted (for propagation).
 */
export async function closedLoop(
  concurrency: number,
  durationMs: number,
  warmupMs: number,
  place: PlaceOne,
  onAccepted: (orderId: string, at: number) => void,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let counter = 0;
  const warmUntil = performance.now() + warmupMs;
  const stopAt = warmUntil + durationMs;
  const client = async (_: unknown, clientIndex: number) => {
    while (performance.now() < stopAt) {
      const started = performance.now();
      const counted = started >= warmUntil;
      try {
        const orderId = await place(counter++, clientIndex);
        const ended = performance.now();
        if (counted) {
          latencies.push(ended - started);
          onAccepted(orderId, Date.now());
        }
      } catch (error) {
        if (counted) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
        // A client that honours Retry-After, as the app and any polite client do: without it,
        // 128 clients retrying a fast 503 at once keep the CPU so busy that the breaker's
        // half-open probe times out and the breaker never closes again (seen: 0 orders in 10 s).
        const waitMs = Math.min(retryAfterOf(error), stopAt - performance.now());
        if (waitMs > 0) await new Promise((resume) => setTimeout(resume, waitMs));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const sorted = ascending(latencies);
  return {
    concurrency,
    seconds: durationMs / 1000,
    completed: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    ordersPerSecond: latencies.length / (durationMs / 1000),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
  };
}
