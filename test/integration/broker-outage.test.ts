import { afterAll, describe, expect, it } from 'vitest';
import { broker, owedInOrderStore } from '../support/backing-stores.js';
import { pidOf } from '../support/processes.js';
import { newCustomer, placeOrder, waitUntilQueued } from '../support/scenario.js';

const storeId = 'jongno';
const ORDERS = 60;
const CLIENTS = 6;
/** The outage lasts at least this long, so publishes started in it hit their timeouts. */
const OUTAGE_MS = 15_000;
/** The bound the issue asks for: the sweep is parallel (8) with a 5 s publish timeout, not 200 × 25 s in a row. */
const CATCH_UP_BOUND_MS = 60_000;

/**
 * A frozen broker (SIGSTOP: connections open, no answer, the worst kind of outage)
 * while orders keep coming. Orders are still taken (each rides in its row's outbox),
 * and once the broker answers again the relays and sweeps deliver every one of them
 * in bounded time.
 */
if (broker !== 'kafka') console.warn(`!! SKIPPING the broker-outage test: it freezes Kafka, and this pass runs ${broker}`);
describe.skipIf(broker !== 'kafka')('a broker outage', () => {
  let frozen: number | undefined;
  const thaw = () => {
    if (frozen !== undefined) process.kill(frozen, 'SIGCONT');
    frozen = undefined;
  };
  afterAll(thaw);

  it(`takes ${ORDERS} orders while Kafka is frozen, and delivers all of them in bounded time once it is back`, async () => {
    const started = performance.now();
    frozen = pidOf('kafka');
    process.kill(frozen, 'SIGSTOP');

    const latencies: number[] = [];
    const orderIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < ORDERS) {
          const n = next++;
          const at = performance.now();
          const order = await placeOrder(newCustomer(`outage-${n}`), storeId);
          latencies.push(performance.now() - at);
          orderIds.push(order.orderId);
        }
      }),
    );
    const placedMs = performance.now() - started;
    const wait = OUTAGE_MS - placedMs;
    if (wait > 0) await new Promise((resume) => setTimeout(resume, wait));

    thaw();
    const thawed = performance.now();
    await waitUntilQueued(storeId, orderIds, CATCH_UP_BOUND_MS);
    const catchUpMs = performance.now() - thawed;
    const worst = Math.max(...latencies);
    console.log(
      `[outage] ${ORDERS} orders taken in ${(placedMs / 1000).toFixed(1)} s while Kafka was frozen (slowest ${worst.toFixed(0)} ms); ` +
        `outage ${((thawed - started) / 1000).toFixed(1)} s; all queued ${(catchUpMs / 1000).toFixed(1)} s after the broker was back`,
    );
    expect(catchUpMs).toBeLessThan(CATCH_UP_BOUND_MS);
    // Nothing still owed: every order's outbox emptied (not only queued by a luckier path).
    await expect
      .poll(async () => (await owedInOrderStore()).filter((id) => orderIds.some((o) => id.includes(o))), { timeout: 20_000, interval: 500 })
      .toEqual([]);
  }, 180_000);
});
