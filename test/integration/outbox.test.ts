import { describe, expect, it } from 'vitest';
import { minimumAbandonedPaymentAgeMs, Topic } from '@burger/contracts';
import { eventually, invoke } from '../support/api.js';
import { broker, orderRowsWhere, orderStoreRows, paymentsOfCustomer, owedInOrderStore, topicMessages } from '../support/backing-stores.js';
import { refundEvents, setFaults } from '../support/faults.js';
import { pidOf, readyAgain } from '../support/processes.js';
import { newCustomer, viewOf, waitUntilQueued } from '../support/scenario.js';

const storeId = 'gangnam';

/** Arms order's crash point (ORDER_FAULT_INJECTION, set by the harness): SIGKILL around the next commit. */
const armCrash = (crash: 'before-commit' | 'after-commit') => setFaults('order', { crash });

/** The sweep refunds an intent once older than the derived threshold; it looks every 5 s. */
const SWEEP_WAIT_MS = minimumAbandonedPaymentAgeMs() + 15_000;

/** Places an order while order is armed to die; the caller sees an error, never a 201. */
async function orderThatKillsOrder(customerId: string): Promise<void> {
  const pid = pidOf('order');
  const response = await invoke('order', 'POST', '/orders', {
    customerId,
    storeId,
    lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
  });
  expect(response.status).toBeGreaterThanOrEqual(500);
  await readyAgain('order', pid);
}

/**
 * Saving an order and publishing OrderPlaced are one transaction (outbox): the
 * event rides in the order's row in PostgreSQL until it is on the broker.
 */
describe('outbox: order is killed -9 around the commit', () => {
  it('an order committed just before the crash is still announced: queued, in the view, once', async () => {
    const customerId = newCustomer('outbox-after');
    await armCrash('after-commit');
    await orderThatKillsOrder(customerId);

    const [saved] = await orderRowsWhere(`value->>'customerId' = $1`, [customerId]);
    expect(saved, 'the order was committed before the crash').toBeDefined();
    const orderId = String(saved!.orderId);
    // Published by the restarted order's outbox sweep, not by the request that died.
    await waitUntilQueued(storeId, [orderId]);
    await viewOf(orderId, (summary) => summary.status === 'Paid' || summary.status === 'Queued');
    const placed = await eventually('OrderPlaced on the topic', async () => {
      const messages = await topicMessages(Topic.orderEvents, (data) => data.orderId === orderId && data.type === 'OrderPlaced');
      return messages.length > 0 ? messages : undefined;
    });
    expect(new Set(placed.map((m) => m.cloudEvent.data.eventId)).size, 'one event id, however often it was relayed').toBe(1);
    if (broker === 'kafka') expect(placed[0]!.key, 'still keyed by orderId').toBe(orderId);
    await eventually('owes nothing once relayed', async () => ((await owedInOrderStore()).includes(`order-${orderId}`) ? undefined : true));
  }, 90_000);

  it(
    'an order whose commit never happened is neither stored nor announced, and its charge is refunded',
    async () => {
      const customerId = newCustomer('outbox-before');
      await armCrash('before-commit');
      await orderThatKillsOrder(customerId);
      // Give the restarted order's sweep (every 2 s, leftovers older than 3 s) time to find anything there were.
      await new Promise((done) => setTimeout(done, 8_000));
      expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId])).toHaveLength(0);
      // Events ride in the order's own row (the outbox), so no row means no event owed either.
      expect(await topicMessages(Topic.orderEvents, (data) => data.customerId === customerId)).toHaveLength(0);
      const view = await invoke('order-view', 'GET', `/customers/${customerId}/orders`);
      expect(view.body.orders).toHaveLength(0);
      // pay did charge before the crash; the abandoned-payment sweep gives it back (ABANDONED_PAYMENT_AFTER_MS).
      const [charge] = await paymentsOfCustomer(customerId);
      expect(charge!.amountCents).toBe(5_900);
      const orderId = String(charge!.orderId);
      await eventually('the orphan charge refunded', async () => ((await refundEvents(orderId)) > 0 ? true : undefined), SWEEP_WAIT_MS);
      expect(await refundEvents(orderId), 'refunded once: one PaymentRefunded').toBe(1);
      expect(await paymentsOfCustomer(customerId), 'one charge').toHaveLength(1);
      // The sweep forgets the intent right after pay's refund: settled, and still no order.
      await eventually('intent settled, still no order', async () =>
        (await orderStoreRows(`value->>'customerId' = $1`, [customerId])).length === 0 ? true : undefined,
      );
    },
    SWEEP_WAIT_MS + 60_000,
  );
});
