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

/** One placement: resolves with the orderId on success, throws (with a reason) otherwise. */
export type PlaceOne = (n: number) => Promise<string>;

/**
 * Closed loop: `concurrency` clients each place an order, wait for the answer and
 * place the next, for `durationMs` after a warm-up whose calls are not counted.
 * Every accepted order is reported with the moment it was accepted (for propagation).
 */
export async function closedLoop(concurrency: number, durationMs: number, warmupMs: number, place: PlaceOne, onAccepted: (orderId: string, at: number) => void): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let counter = 0;
  const warmUntil = performance.now() + warmupMs;
  const stopAt = warmUntil + durationMs;
  const client = async () => {
    while (performance.now() < stopAt) {
      const started = performance.now();
      const counted = started >= warmUntil;
      try {
        const orderId = await place(counter++);
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
