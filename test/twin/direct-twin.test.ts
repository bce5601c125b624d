import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { api, signIn } from '../support/front-door.js';
import { stackInfo } from '../support/stack-info.js';

/**
 * The benchmark's direct twin (BURGER_TWIN=1, bench/twin) keeps doing what the system does: `npm test` runs this
 * file on a twin stack, so a sidecar call the twin does not answer shows here, not as a quiet gap in a benchmark.
 */
describe('the direct twin (no sidecars) runs the whole scenario', () => {
  it('has no sidecar listening: every answer below comes from the apps and their drivers', async () => {
    const port = stackInfo().apps.order!.daprHttpPort;
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    }).finally(() => undefined);
    expect(listening, `something listens on order's sidecar port ${port}`).toBe(false);
  });

  it('signs in, charges, queues, shows and notifies an order; a cancelled one is refunded', async () => {
    // A load-test account (LOAD_TEST_ACCOUNTS=1, as the benchmark signs in): its own rate-limit budget, whatever
    // earlier passes spent of the demo accounts'.
    const { access_token: token } = await signIn('load-001');
    const order = { storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };
    const placed = await api('POST', '/orders', token, order);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ customerId: 'load-001', status: 'Paid' });
    const orderId = String(placed.body.orderId);
    // Through the kitchen (store's queue) into the view: OrderPlaced, PaymentApproved and OrderQueued delivered.
    const timeline = await eventually('the order queued in the view', async () => {
      const view = await api('GET', `/orders/${orderId}`, token);
      const types = ((view.body.timeline ?? []) as Array<{ type: string }>).map((entry) => entry.type);
      return types.includes('OrderQueued') ? types : undefined;
    });
    expect(timeline).toEqual(expect.arrayContaining(['OrderPlaced', 'PaymentApproved', 'OrderQueued']));

    const second = await api('POST', '/orders', token, order);
    expect(second.status).toBe(201);
    const secondId = String(second.body.orderId);
    expect((await api('POST', `/orders/${secondId}/cancel`, token)).status).toBeLessThan(300);
    // The kitchen agrees, pay asks the kitchen (an invocation) and refunds, the view shows both.
    await eventually('the cancelled order refunded in the view', async () => {
      const view = await api('GET', `/orders/${secondId}`, token);
      return view.body.status === 'Cancelled' && view.body.refunded === true ? view.body : undefined;
    });
    // notification's KakaoTalk binding (bindings.http through the twin) and its inbox.
    await eventually('a message about the order in the inbox', async () => {
      const inbox = await api('GET', '/messages?limit=50', token);
      const messages = (inbox.body.messages ?? []) as Array<{ orderId?: string }>;
      return messages.some((message) => message.orderId === orderId) ? messages : undefined;
    });
  }, 60_000);
});
