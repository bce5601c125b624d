import { describe, expect, it } from 'vitest';
import { Bulkhead, BulkheadFull } from '../src/bulkhead.js';

/** A job that runs until released, so the test decides when each one ends. */
function heldJob() {
  let release!: () => void;
  const released = new Promise<void>((done) => (release = done));
  return { work: () => released.then(() => 'done'), release };
}

describe('Bulkhead', () => {
  it('runs at most maxConcurrent at once, then the waiting ones in arrival order', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 2, maxWaiting: 5, maxWaitMs: 5_000 });
    const started: number[] = [];
    const jobs = Array.from({ length: 4 }, () => heldJob());
    const runs = jobs.map((job, i) => bulkhead.run(async () => (started.push(i), job.work())));
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1]);
    jobs[1]!.release();
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1, 2]);
    for (const job of jobs) job.release();
    expect(await Promise.all(runs)).toEqual(['done', 'done', 'done', 'done']);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('refuses at once when the queue is full, and after maxWaitMs when no turn came; a refused job never runs', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxWaiting: 1, maxWaitMs: 50 });
    const first = heldJob();
    const running = bulkhead.run(first.work);
    let ranLate = false;
    const waiting = bulkhead.run(async () => (ranLate = true));
    await expect(bulkhead.run(async () => 'never')).rejects.toBeInstanceOf(BulkheadFull);
    await expect(waiting).rejects.toMatchObject({ retryAfterSeconds: 1 });
    first.release();
    await running;
    expect(ranLate).toBe(false);
    expect(await bulkhead.run(async () => 'free again')).toBe('free again');
  });

  it('frees the turn of a job that failed', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxWaiting: 0, maxWaitMs: 10 });
    await expect(bulkhead.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await bulkhead.run(async () => 'next')).toBe('next');
  });
});
