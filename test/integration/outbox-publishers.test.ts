import { describe, expect, it } from 'vitest';
import { minimumAbandonedPaymentAgeMs, Topic } from '@burger/contracts';
import { eventually, invoke } from '../support/api.js';
import { paymentsOfCustomer, owedInPayStore, topicMessages } from '../support/backing-stores.js';
import { isAlive, pidOf, readyAgain } from '../support/processes.js';
import { newCustomer, placeOrder, waitUntilQueued } from '../support/scenario.js';
import { setFaults, trySetFaults } from '../support/faults.js';
import { stackInfo } from '../support/stack-info.js';

/** Distinct event ids of one type for one order on a topic: what idempotent consumers see. */
async function distinctEvents(topic: string, type: string, orderId: string): Promise<number> {
  const messages = await topicMessages(topic, (data) => data.orderId === orderId && data.type === type);
  return new Set(messages.map((m) => m.cloudEvent.data.eventId)).size;
}

/**
 * Every publisher writes its event in the same write as its change (the outbox), so a
 * process killed between saving and publishing still announces the change once restarted.
 */
describe('outbox: pay is killed -9 between saving a charge and publishing it', () => {
  it('PaymentApproved still arrives, once; the orphan charge is refunded, once', async () => {
    const customerId = newCustomer('pay-crash');
    // Armed for this customer only: a sweep's refund of an earlier test's charge must not be the write that dies.
    await setFaults('pay', { latencyMs: 0, failureRate: 0, crash: 'after-commit', crashCustomerId: customerId });
    const pid = pidOf('pay');
    const response = await invoke('order', 'POST', '/orders', {
      customerId,
      storeId: 'gangnam',
      lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
    });
    expect(response.status, 'pay died mid-request: no order').toBeGreaterThanOrEqual(500);
    await readyAgain('pay', pid);

    const [charge] = await paymentsOfCustomer(customerId);
    expect(charge, 'the charge was committed before the crash').toBeDefined();
    const orderId = String(charge!.orderId);
    // Published by the restarted pay's outbox sweep: nobody else knew about it. (The later refund would also relay
    // it, oldest first, so it must show up before any refund does.)
    await eventually(
      'PaymentApproved on the topic',
      async () => ((await distinctEvents(Topic.paymentApprovalEvents, 'PaymentApproved', orderId)) > 0 ? true : undefined),
      30_000,
    );
    expect(await distinctEvents(Topic.paymentEvents, 'PaymentRefunded', orderId), 'relayed by the sweep, not by the refund').toBe(0);
    // order never stored the order, so its abandoned-payment sweep refunds the charge.
    await eventually(
      'PaymentRefunded on the topic',
      async () => ((await distinctEvents(Topic.paymentEvents, 'PaymentRefunded', orderId)) > 0 ? true : undefined),
      minimumAbandonedPaymentAgeMs() + 15_000,
    );
    await eventually(
      "nothing left owed in pay's outbox index",
      async () => ((await owedInPayStore()).includes(`payment-${orderId}`) ? undefined : true),
      15_000,
    );
    expect(await distinctEvents(Topic.paymentApprovalEvents, 'PaymentApproved', orderId), 'approved once as consumers see it').toBe(1);
    expect(await distinctEvents(Topic.paymentEvents, 'PaymentRefunded', orderId), 'refunded once as consumers see it').toBe(1);
    const [after] = await paymentsOfCustomer(customerId);
    expect(after!.status).toBe('Refunded');
  }, 120_000);
});

describe('outbox: store is killed -9 between saving a ticket and publishing its event', () => {
  it('OrderQueued still arrives, once, and the ticket is in the kitchen', async () => {
    // Either replica may take the order (Kafka assigns partitions): arm both, and disarm the survivor afterwards.
    const replicas = stackInfo().replicas.filter((name) => name === 'store' || /^store-\d+$/.test(name));
    const pids = new Map(replicas.map((name) => [name, pidOf(name)]));
    const customerId = newCustomer('store-crash');
    for (const name of replicas) await setFaults(name, { crash: 'after-commit', crashCustomerId: customerId });
    try {
      const { orderId } = await placeOrder(customerId, 'gangnam');
      const victim = await eventually(
        'a store replica killed by its ticket write',
        async () => replicas.find((name) => !isAlive(pids.get(name)!)),
        30_000,
      );
      await readyAgain(victim, pids.get(victim)!);
      await waitUntilQueued('gangnam', [orderId]);
      await eventually(
        'OrderQueued on the topic',
        async () => ((await distinctEvents(Topic.storeQueueEvents, 'OrderQueued', orderId)) > 0 ? true : undefined),
        30_000,
      );
      expect(await distinctEvents(Topic.storeQueueEvents, 'OrderQueued', orderId), 'queued once as consumers see it').toBe(1);
    } finally {
      for (const name of replicas) await trySetFaults(name, { crash: 'none' });
    }
  }, 120_000);
});
