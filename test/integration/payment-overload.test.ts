import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, invoke } from '../support/api.js';
import { orderRowsWhere } from '../support/backing-stores.js';
import { appToken, stackInfo } from '../support/stack-info.js';

/** Sets pay's test knobs, calling the pay app directly with the local app token (as its sidecar would). */
async function payFaults(faults: { latencyMs: number; failureRate: number }): Promise<void> {
  const info = stackInfo();
  const response = await fetch(`http://127.0.0.1:${info.apps.pay!.appPort}/admin/faults`, {
    method: 'PUT',
    headers: { 'dapr-api-token': appToken('pay'), 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.status).toBe(200);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;

async function timedOrder(customerId: string) {
  const started = performance.now();
  const response = await invoke('order', 'POST', '/orders', {
    customerId,
    storeId: 'gangnam',
    lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
  });
  return { response, ms: performance.now() - started };
}

describe('payment overload: circuit breaker and fallback', () => {
  afterEach(() => payFaults({ latencyMs: 0, failureRate: 0 }));

  it('opens the breaker when pay is slow, answers fast 503s with Retry-After and creates no order, then recovers', async () => {
    const customerId = `overload-${randomUUID().slice(0, 8)}`;
    await payFaults({ latencyMs: 3_000, failureRate: 0 });

    // Slow calls time out (2 s per attempt, retried) until the breaker trips and calls fail at once.
    const tripped = await eventually(
      'the breaker to open',
      async () => {
        const { response, ms } = await timedOrder(customerId);
        expect(response.status).toBe(503);
        return ms < 100 ? ms : undefined;
      },
      60_000,
    );
    console.log(`breaker open: first fast refusal took ${tripped.toFixed(1)} ms`);

    const open: number[] = [];
    for (let i = 0; i < 50; i++) {
      const { response, ms } = await timedOrder(customerId);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(response.body.message).toMatch(/Payment is busy, please try again shortly/);
      open.push(ms);
    }
    console.log(
      `while open: p50 ${percentile(open, 50).toFixed(1)} ms, p99 ${percentile(open, 99).toFixed(1)} ms over ${open.length} orders`,
    );
    expect(percentile(open, 99)).toBeLessThan(50);
    expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId])).toHaveLength(0);

    // Pay recovers; after the open period one probe goes through and orders succeed again.
    await payFaults({ latencyMs: 0, failureRate: 0 });
    const recoveredAfter = performance.now();
    await eventually(
      'orders to succeed again',
      async () => ((await timedOrder(customerId)).response.status === 201 ? true : undefined),
      30_000,
    );
    console.log(`recovered ${((performance.now() - recoveredAfter) / 1000).toFixed(1)} s after pay did`);
  }, 120_000);

  it('fails fast on a failing pay too (500s trip the breaker)', async () => {
    const customerId = `failing-${randomUUID().slice(0, 8)}`;
    await payFaults({ latencyMs: 0, failureRate: 1 });
    const tripped = await eventually(
      'the breaker to open',
      async () => {
        const { response, ms } = await timedOrder(customerId);
        expect(response.status).toBe(503);
        return ms < 50 ? ms : undefined;
      },
      60_000,
    );
    expect(tripped).toBeLessThan(50);
    expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId])).toHaveLength(0);
    await payFaults({ latencyMs: 0, failureRate: 0 });
    await eventually('recovery', async () => ((await timedOrder(customerId)).response.status === 201 ? true : undefined), 30_000);
  }, 120_000);
});
