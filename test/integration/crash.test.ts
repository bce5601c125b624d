import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ApiResponse, invoke } from '../support/api.js';
import { orderRowsWhere, orderStoreRows, paymentsOfCustomer, owedInOrderStore, storeQueueRecord } from '../support/backing-stores.js';
import { pidOf } from '../support/processes.js';
import { kakaoMessages } from '../support/scenario.js';

/**
 * Crash test: a burst of orders with cancellations and kitchen starts mixed in,
 * kill -9 of one process in the middle (an app, a sidecar or the broker; the
 * launcher starts it again, as Kubernetes would), then, once quiet, invariants
 * across every store. CRASH_VICTIM picks the victim; by default it is random.
 */
const ORDERS = Number(process.env.CRASH_ORDERS ?? 1000);
const CONCURRENCY = 16;
const CUSTOMERS = 40;
const STORES = ['gangnam', 'jongno', 'hongdae'];
/** Drawn from at random: the victims this test has been run against and passed with. CRASH_VICTIM may name any process in .run/pids. */
const VICTIMS = ['order', 'order-daprd', 'pay', 'pay-daprd', 'store', 'store-daprd', 'notification', 'order-view', 'kafka'];
const NOTICE_TYPES = new Set([
  'OrderPlaced',
  'CookingStarted',
  'DeliveryStarted',
  'OrderDelivered',
  'OrderCancelled',
  'CancellationRejected',
  'PaymentRefunded',
]);

type Order = { orderId: string; customerId: string; storeId: string; status: string; paymentId: string; totalCents: number };
type Payment = { orderId: string; paymentId: string; status: string; amountCents: number };

describe('crash test', () => {
  it(`keeps every invariant through a burst of ${ORDERS} orders and a kill -9 in the middle`, async () => {
    const run = randomUUID().slice(0, 8);
    const victim = process.env.CRASH_VICTIM ?? VICTIMS[Math.floor(Math.random() * VICTIMS.length)]!;
    const tally = { placed: 0, placeFailed: 0, gaveUp: 0, cancelAsked: 0, cancelFailed: 0, cookAsked: 0, cookFailed: 0 };
    console.log(`[crash] run ${run}: ${ORDERS} orders, victim ${victim} (set CRASH_VICTIM to choose)`);

    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < ORDERS) {
        const i = next++;
        if (!killed && i >= ORDERS * 0.3) (killed = true), killNow(victim);
        await oneOrder(i, run, tally);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(`[crash] burst done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(tally)}`);

    // Quiet: consumers catch up, the outbox and the abandoned-payment sweep finish. Re-check until it all holds.
    const deadline = Date.now() + 150_000;
    let report: Awaited<ReturnType<typeof checkInvariants>>;
    for (;;) {
      report = await checkInvariants(run);
      if (report.violations.length === 0 || Date.now() > deadline) break;
      await new Promise((done) => setTimeout(done, 5_000));
    }
    console.log(`[crash] counts: ${JSON.stringify(report.counts)}`);
    if (report.violations.length > 0)
      console.log(`[crash] violations (${report.violations.length}):\n  ${report.violations.slice(0, 30).join('\n  ')}`);
    expect(report.violations.slice(0, 20)).toEqual([]);
    expect(tally.placed, 'nearly every order got through, retrying around the outage').toBeGreaterThan(ORDERS * 0.95);
    expect(report.counts.orders).toBeGreaterThanOrEqual(tally.placed);
  }, 420_000);
});

/** A read of the view, tried once more after a 5xx: a hiccup of the reading path is not a broken invariant. */
async function viewOf(orderId: string) {
  const first = await invoke('order-view', 'GET', `/orders/${orderId}`).catch(() => undefined);
  return first && first.status < 500 ? first : invoke('order-view', 'GET', `/orders/${orderId}`);
}

/** Maps 50 at a time, so the check does not flood one sidecar with 1,000 requests at once. */
async function inBatches<T, R>(items: T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += 50) results.push(...(await Promise.all(items.slice(i, i + 50).map(map))));
  return results;
}

function killNow(victim: string): void {
  const pid = pidOf(victim);
  console.log(`[crash] kill -9 ${victim} (pid ${pid})`);
  process.kill(pid, 'SIGKILL');
}

/** Places one order; every fifth is then cancelled, every seventh sent to cooking (some both: a race). */
async function oneOrder(i: number, run: string, tally: Record<string, number>): Promise<void> {
  const customerId = `crash-${run}-${i % CUSTOMERS}`;
  const storeId = STORES[i % STORES.length]!;
  // Like a customer whose app retries: a failed attempt (5xx, refused) is tried again shortly, as a new order.
  let placed: ApiResponse<{ orderId: string }> | undefined;
  for (let attempt = 0; attempt < 60; attempt++) {
    placed = await invoke('order', 'POST', '/orders', {
      customerId,
      storeId,
      lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 + (i % 3) }],
    }).catch(() => undefined);
    if (placed?.status === 201) break;
    tally.placeFailed!++;
    await new Promise((done) => setTimeout(done, 500));
  }
  if (placed?.status !== 201) return void tally.gaveUp!++;
  tally.placed!++;
  const orderId = placed.body.orderId as string;
  if (i % 7 === 0) {
    tally.cookAsked!++;
    // The order reaches the kitchen through the broker: a 404 means "not queued yet", so the cook looks again.
    let cooking: ApiResponse<unknown> | undefined;
    for (let look = 0; look < 20 && (cooking === undefined || cooking.status === 404); look++) {
      if (look > 0) await new Promise((done) => setTimeout(done, 250));
      cooking = await invoke('store', 'POST', `/stores/${storeId}/orders/${orderId}/start-cooking`).catch(() => undefined);
    }
    if (cooking?.status !== 200) {
      tally.cookFailed!++;
      tally[`cookFailed${cooking?.status ?? 'Unreachable'}`] = (tally[`cookFailed${cooking?.status ?? 'Unreachable'}`] ?? 0) + 1;
    }
  }
  if (i % 5 === 0) {
    tally.cancelAsked!++;
    const cancel = await invoke('order', 'POST', `/orders/${orderId}/cancel`, { customerId }).catch(() => undefined);
    if (cancel?.status !== 202) tally.cancelFailed!++;
  }
}

/** Reads every store straight (PostgreSQL, SQLite, Redis, the sink) plus the view's API, and lists what disagrees. */
async function checkInvariants(run: string) {
  const prefix = `crash-${run}-`;
  const orders = (await orderRowsWhere(`value->>'customerId' LIKE $1`, [`${prefix}%`])) as unknown as Order[];
  const payments = (await paymentsOfCustomer(prefix, 'prefix')) as unknown as Payment[];
  const leftovers = await orderStoreRows(
    `key NOT LIKE 'order||order-%' AND (value->>'customerId' LIKE $1 OR value->'event'->>'customerId' LIKE $1)`,
    [`${prefix}%`],
  );
  const queues = await Promise.all(STORES.map((storeId) => storeQueueRecord(storeId)));
  const queued = queues.flatMap((queue) => queue?.tickets.map((ticket) => ticket.orderId) ?? []);
  const violations: string[] = [];
  const paymentOf = new Map(payments.map((p) => [p.orderId, p]));
  const orderIds = new Set(orders.map((o) => o.orderId));

  let notices = 0;
  const views = await inBatches(orders, (o) => viewOf(o.orderId));
  orders.forEach((order, i) => {
    const payment = paymentOf.get(order.orderId);
    if (!payment) violations.push(`order ${order.orderId} has no payment (lost charge)`);
    else if (payment.paymentId !== order.paymentId || payment.amountCents !== order.totalCents)
      violations.push(`order ${order.orderId} and its payment disagree`);
    else if ((payment.status === 'Refunded') !== (order.status === 'Cancelled'))
      violations.push(`order ${order.orderId} is ${order.status} but its payment is ${payment.status}`);
    const inQueue = queued.filter((id) => id === order.orderId).length;
    if (inQueue !== (order.status === 'Cancelled' ? 0 : 1))
      violations.push(`order ${order.orderId} (${order.status}) is ${inQueue} times in a queue`);
    const view = views[i]!;
    if (view.status !== 200 || view.body?.status !== order.status)
      violations.push(`view of ${order.orderId}: ${view.status} ${view.body?.status} vs ${order.status}`);
    notices += view.status === 200 ? view.body.timeline.filter((entry: { type: string }) => NOTICE_TYPES.has(entry.type)).length : 0;
  });
  const orphans = payments.filter((p) => !orderIds.has(p.orderId));
  for (const orphan of orphans)
    if (orphan.status !== 'Refunded') violations.push(`charge ${orphan.orderId} has no order and was not refunded`);
  notices += orphans.length; // PaymentRefunded for a charge whose order was never stored
  if (leftovers.length > 0) violations.push(`${leftovers.length} payment intents left over`);
  const orderKeys = new Set(orders.map((o) => `order-${o.orderId}`));
  const pending = (await owedInOrderStore()).filter((key) => orderKeys.has(key));
  if (pending.length > 0) violations.push(`${pending.length} orders still owe an event (outbox index)`);

  const customers = [
    ...new Set(orders.map((o) => o.customerId).concat(payments.map((p) => (p as unknown as { customerId: string }).customerId))),
  ];
  let messages = 0;
  for (const customerId of customers) {
    const received = await kakaoMessages(customerId);
    const keys = new Set(received.map((m) => m.idempotencyKey));
    if (keys.size !== received.length) violations.push(`${customerId} got a message twice`);
    messages += keys.size;
    const listed = await invoke('order-view', 'GET', `/customers/${customerId}/orders`);
    const expected = orders
      .filter((o) => o.customerId === customerId)
      .map((o) => o.orderId)
      .sort();
    const seen = ((listed.body?.orders ?? []) as Array<{ orderId: string }>).map((line) => line.orderId).sort();
    if (JSON.stringify(seen) !== JSON.stringify(expected)) violations.push(`${customerId}'s list in the view differs from the order store`);
  }
  if (messages !== notices) violations.push(`${messages} KakaoTalk messages for ${notices} status changes`);

  const byStatus = Object.fromEntries(
    [...new Set(orders.map((o) => o.status))].map((s) => [s, orders.filter((o) => o.status === s).length]),
  );
  const refunds = payments.filter((p) => p.status === 'Refunded').length;
  return {
    violations,
    counts: {
      orders: orders.length,
      byStatus,
      payments: payments.length,
      refunds,
      orphanChargesRefunded: orphans.length,
      queued: queued.filter((id) => orderIds.has(id)).length,
      messages,
      notices,
    },
  };
}
