import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppId, deadLetterTopicOf, PublisherOf, SidecarGrants, Topic } from '@burger/contracts';
import { eventually, invoke } from '../support/api.js';
import { paymentRecord, topicMessages } from '../support/backing-stores.js';
import { refundEvents } from '../support/faults.js';
import { kitchen, newCustomer, placeOrder, viewOf } from '../support/scenario.js';
import { appToken, daprToken, stackInfo } from '../support/stack-info.js';

/**
 * Zero trust inside (issues 15 and 20): no process can move money, read a secret or act through a
 * sidecar that is not its own. Each attack is made the way a compromised app would make it, with that
 * app's real tokens, against the real stack; the outcome is read from the stores and the broker.
 */
const sidecar = (appId: string) => `http://127.0.0.1:${stackInfo().apps[appId]!.daprHttpPort}`;
const appPort = (appId: string) => `http://127.0.0.1:${stackInfo().apps[appId]!.appPort}`;

function forgedCancellation(order: { orderId: string; customerId: string; storeId: string; paymentId: string }) {
  return {
    type: 'OrderCancelled',
    eventId: randomUUID(),
    orderId: order.orderId,
    customerId: order.customerId,
    storeId: order.storeId,
    paymentId: order.paymentId,
    occurredAt: new Date().toISOString(),
    version: 1,
  };
}

/** Publishes through `via`'s sidecar with `via`'s own token, as that app would. */
async function publishThrough(via: string, topic: string, data: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${sidecar(via)}/v1.0/publish/pubsub/${topic}?metadata.partitionKey=${data.orderId}`, {
    method: 'POST',
    headers: { 'dapr-api-token': daprToken(via), 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
  await response.body?.cancel();
  return response.status;
}

async function paidAndQueued(tag: string) {
  const order = await placeOrder(newCustomer(tag), 'gangnam');
  await viewOf(order.orderId, (summary) => summary.timeline.some((entry: { type: string }) => entry.type === 'OrderQueued'));
  return order;
}

describe('topic ownership: only the owner publishes', () => {
  it("a forged OrderCancelled through a non-owner's sidecar is refused there: nothing reaches the broker, no money moves, the view does not change", async () => {
    const order = await paidAndQueued('forged-cancel');
    const statuses: Record<string, number> = {};
    const forgedIds: string[] = [];
    for (const via of Object.values(AppId).filter((appId) => appId !== PublisherOf[Topic.storeEvents])) {
      const forged = forgedCancellation(order);
      forgedIds.push(forged.eventId);
      statuses[via] = await publishThrough(via, Topic.storeEvents, forged);
    }
    // Apps that publish get 403 from their sidecar (publishingScopes); the others' sidecars serve no publish API (404).
    const expected = Object.fromEntries(
      Object.keys(statuses).map((via) => [via, SidecarGrants[via as AppId].apis.includes('publish') ? 403 : 404]),
    );
    expect(statuses).toEqual(expected);
    // A real kitchen event after the forgeries, on the same partition: once the view has it, it has seen everything before it.
    expect((await kitchen(order.storeId, order.orderId, 'start-cooking')).status).toBe(200);
    const view = await viewOf(order.orderId, (summary) => summary.status === 'Cooking');
    expect(view.timeline.map((entry: { type: string }) => entry.type)).not.toContain('OrderCancelled');
    expect(await topicMessages(Topic.storeEvents, (data) => forgedIds.includes(data.eventId as string))).toEqual([]);
    expect((await paymentRecord(order.orderId))?.status).toBe('Approved');
    expect(await refundEvents(order.orderId)).toBe(0);
  });

  it('the owner still publishes its own topic (store → store-queue-events)', async () => {
    const order = await paidAndQueued('owner-publishes');
    // A harmless event the store would send anyway, again (same eventId): accepted by the sidecar.
    const queued = (
      await topicMessages(Topic.storeQueueEvents, (data) => data.orderId === order.orderId && data.type === 'OrderQueued')
    )[0]!;
    expect(await publishThrough(AppId.store, Topic.storeQueueEvents, queued.cloudEvent.data)).toBe(204);
  });
});

describe('money moves only on authoritative facts (pay asks the kitchen)', () => {
  it("an OrderCancelled for a delivered order, even through the owner's sidecar, refunds nothing: pay drops it to the dead letters", async () => {
    const order = await paidAndQueued('cancel-delivered');
    for (const step of ['start-cooking', 'start-delivery', 'delivered'] as const)
      expect((await kitchen(order.storeId, order.orderId, step)).status).toBe(200);
    const forged = forgedCancellation(order);
    expect(await publishThrough(AppId.store, Topic.storeEvents, forged)).toBe(204);
    // pay refuses it and drops it: its sidecar puts it on the dead-letter topic. That is pay having decided.
    await eventually(
      'pay drops the forged OrderCancelled to store-events-dead-letter',
      async () => {
        const dropped = await topicMessages(deadLetterTopicOf(Topic.storeEvents), (data) => data.eventId === forged.eventId);
        return dropped.length > 0 ? true : undefined;
      },
      30_000,
    );
    expect((await paymentRecord(order.orderId))?.status).toBe('Approved');
    expect(await refundEvents(order.orderId)).toBe(0);
  });

  it("pay's refund command: refused for a cooked order even from order; refused from anyone but order; granted for a charge the kitchen never had", async () => {
    const cooked = await paidAndQueued('refund-cooked');
    expect((await kitchen(cooked.storeId, cooked.orderId, 'start-cooking')).status).toBe(200);
    const fromOrder = await invoke('pay', 'POST', `/payments/${cooked.orderId}/refund`, {}, AppId.order);
    expect(fromOrder.status, JSON.stringify(fromOrder.body)).toBe(409);
    expect(fromOrder.body.error).toBe('refund_refused');
    expect((await paymentRecord(cooked.orderId))?.status).toBe('Approved');
    expect(await refundEvents(cooked.orderId)).toBe(0);

    // A charge whose order was never stored (what order's compensation is for): only order may have it refunded.
    const orphanId = randomUUID();
    const charged = await invoke(
      'pay',
      'POST',
      '/payments',
      { orderId: orphanId, customerId: newCustomer('orphan'), storeId: 'gangnam', amountCents: 900 },
      AppId.order,
    );
    expect(charged.status).toBe(201);
    // Through pay's own sidecar (its caller is then pay, not order) and straight to the app with pay's app token
    // and a caller id that is not order's: both refused by pay's rule, not only by the access list.
    expect((await invoke('pay', 'POST', `/payments/${orphanId}/refund`, {}, AppId.pay)).status).toBe(409);
    const straight = await fetch(`${appPort(AppId.pay)}/payments/${orphanId}/refund`, {
      method: 'POST',
      headers: { 'dapr-api-token': appToken(AppId.pay), 'content-type': 'application/json', 'dapr-caller-app-id': AppId.gateway },
      body: '{}',
    });
    expect(straight.status).toBe(409);
    expect((await paymentRecord(orphanId))?.status).toBe('Approved');
    const refunded = await invoke('pay', 'POST', `/payments/${orphanId}/refund`, {}, AppId.order);
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body.status).toBe('Refunded');
  });
});

describe("the gateway's tokens open the gateway's sidecar only, and that sidecar only as wide as the gateway needs", () => {
  it("pay's app and pay's sidecar refuse the gateway's tokens", async () => {
    const atPayApp = await fetch(`${appPort(AppId.pay)}/customers/kim/payments`, {
      headers: { 'dapr-api-token': appToken(AppId.gateway) },
    });
    expect(atPayApp.status).toBe(401);
    const atPaySidecar = await fetch(`${sidecar(AppId.pay)}/v1.0/state/paymentstore/anything`, {
      headers: { 'dapr-api-token': daprToken(AppId.gateway) },
    });
    expect(atPaySidecar.status).toBe(401);
    const invokeViaPay = await fetch(`${sidecar(AppId.pay)}/v1.0/invoke/pay/method/customers/kim/payments`, {
      headers: { 'dapr-api-token': daprToken(AppId.gateway) },
    });
    expect(invokeViaPay.status).toBe(401);
    // Sanity: pay's own tokens open them.
    expect(
      (await fetch(`${appPort(AppId.pay)}/customers/kim/payments`, { headers: { 'dapr-api-token': appToken(AppId.pay) } })).status,
    ).toBe(200);
  });

  it("no app's token opens another app's sidecar or app", async () => {
    const appIds = Object.values(AppId);
    const opened: string[] = [];
    for (const holder of appIds) {
      for (const target of appIds.filter((appId) => appId !== holder)) {
        const atSidecar = await fetch(`${sidecar(target)}/v1.0/invoke/${target}/method/healthz`, {
          headers: { 'dapr-api-token': daprToken(holder) },
        });
        await atSidecar.body?.cancel();
        if (atSidecar.status !== 401) opened.push(`${holder}'s Dapr token → ${target}'s sidecar: ${atSidecar.status}`);
        // The gateway's app is the public front door: it takes signed-in users, not an app token.
        if (target === AppId.gateway) continue;
        // Any path but the open probes (/healthz, /readyz, /metrics): the token is checked before routing.
        const atApp = await fetch(`${appPort(target)}/dapr/subscribe`, { headers: { 'dapr-api-token': appToken(holder) } });
        await atApp.body?.cancel();
        if (atApp.status !== 401) opened.push(`${holder}'s app token → ${target}'s app: ${atApp.status}`);
      }
    }
    expect(opened).toEqual([]);
  });

  it("with its own token, the gateway's sidecar cannot read auth's key, other secrets or state, nor publish", async () => {
    const headers = { 'dapr-api-token': daprToken(AppId.gateway), 'content-type': 'application/json' };
    const get = async (path: string) => {
      const response = await fetch(`${sidecar(AppId.gateway)}${path}`, { headers });
      return { status: response.status, text: await response.text() };
    };
    for (const path of [
      '/v1.0/secrets/authsecrets/auth-signing-key',
      '/v1.0/secrets/localsecretstore/auth-signing-key',
      '/v1.0/secrets/localsecretstore/orderstore-connection-string',
      '/v1.0/secrets/localsecretstore/postgres-password',
      '/v1.0/secrets/localsecretstore/redis-password',
      '/v1.0/secrets/app-credentials/kafka-password',
    ]) {
      const read = await get(path);
      expect(read.status, `${path}: ${read.text}`).toBeGreaterThanOrEqual(400);
    }
    // The bulk reads list only what the gateway may read: nothing of the shared store, its limiter's own Redis login.
    const bulk = async (store: string) => {
      const read = await get(`/v1.0/secrets/${store}/bulk`);
      expect(read.status, read.text).toBe(200);
      return Object.keys(JSON.parse(read.text) as object);
    };
    expect(await bulk('localsecretstore')).toEqual([]);
    expect(await bulk('app-credentials')).toEqual(['redis-password']);
    // No state API and no publish API on its sidecar at all.
    expect((await get('/v1.0/state/orderstore/anything')).status).toBe(404);
    const publish = await fetch(`${sidecar(AppId.gateway)}/v1.0/publish/pubsub/${Topic.orderEvents}`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    expect(publish.status).toBe(404);
    // What it needs still works: invoking order (the menu) and reading its own secret.
    expect((await get('/v1.0/invoke/order/method/menu')).status).toBe(200);
    expect((await get('/v1.0/secrets/app-credentials/redis-password')).status).toBe(200);
  });
});

describe('Dapr metrics', () => {
  it('listen on loopback only', () => {
    const listening = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[3])
      .filter(Boolean) as string[];
    for (const [instance, { metricsPort }] of Object.entries(stackInfo().apps)) {
      const bound = listening.filter((address) => address.endsWith(`:${metricsPort}`));
      expect(bound, `${instance}'s sidecar metrics (:${metricsPort})`).toEqual([`127.0.0.1:${metricsPort}`]);
    }
  });
});
