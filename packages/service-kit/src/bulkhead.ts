export interface BulkheadOptions {
  /** How many run at once; the rest wait their turn. */
  maxConcurrent: number;
  /** How many may wait; one more is refused at once. */
  maxWaiting: number;
  /** How long one may wait for a turn before it is refused. */
  maxWaitMs: number;
}

/** Refused by a full bulkhead: nothing was started, so the caller may simply try again later. */
export class BulkheadFull extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many requests of this kind in progress');
  }
}

/**
 * A bulkhead: at most `maxConcurrent` of one kind of work at a time in this process, a bounded,
 * first-come queue behind it, and a refusal (never a half-done job) beyond that. Overload then
 * costs the latest callers a quick 503 instead of costing everyone a timeout: without it, a burst
 * on a saturated machine made every payment slow, the slow payments tripped pay's circuit breaker
 * and the breaker refused everyone (`npm run bench:gateway`, 32 clients).
 */
export class Bulkhead {
  private running = 0;
  private readonly waiting: Array<{ start: () => void; timer: NodeJS.Timeout }> = [];

  constructor(private readonly options: BulkheadOptions) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.turn();
    try {
      return await work();
    } finally {
      this.running--;
      this.next();
    }
  }

  private turn(): Promise<void> {
    if (this.running < this.options.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(this.options.maxWaitMs / 1000));
    if (this.waiting.length >= this.options.maxWaiting) return Promise.reject(new BulkheadFull(retryAfterSeconds));
    return new Promise((start, refuse) => {
      const entry = {
        start: () => {
          clearTimeout(entry.timer);
          this.running++;
          start();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          refuse(new BulkheadFull(retryAfterSeconds));
        }, this.options.maxWaitMs),
      };
      this.waiting.push(entry);
    });
  }

  private next(): void {
    if (this.running < this.options.maxConcurrent) this.waiting.shift()?.start();
  }
}
