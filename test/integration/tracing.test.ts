import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { INFRA_PORTS, infraAddress } from '@burger/launcher';
import { eventually } from '../support/api.js';
import { newCustomer, waitUntilQueued } from '../support/scenario.js';
import { daprToken, stackInfo } from '../support/stack-info.js';

const TRACE_SINK = `http://${infraAddress(INFRA_PORTS.traceSink)}`;

interface Span {
  traceId: string;
  name?: string;
  localEndpoint?: { serviceName?: string };
}

/**
 * One order, one trace: the request enters with a trace id we chose; every sidecar
 * reports its spans to the trace sink, the apps pass the trace context on (invoke,
 * publish), and Dapr carries it inside the CloudEvents to every subscriber.
 */
describe('distributed tracing', () => {
  it('follows one order from order through pay to the kitchen, the view and the notification', async () => {
    const traceId = randomBytes(16).toString('hex');
    const info = stackInfo();
    const response = await fetch(`http://127.0.0.1:${info.apps.order!.daprHttpPort}/v1.0/invoke/order/method/orders`, {
      method: 'POST',
      headers: {
        'dapr-api-token': daprToken('order'),
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({
        customerId: newCustomer('traced'),
        storeId: 'gangnam',
        lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
      }),
    });
    expect(response.status).toBe(201);
    const { orderId } = (await response.json()) as { orderId: string };
    await waitUntilQueued('gangnam', [orderId]);

    const expected = ['order', 'pay', 'store', 'order-view', 'notification'];
    // Sidecars send their spans in batches (every few seconds).
    const services = await eventually(
      'every service in the trace',
      async () => {
        const answer = await fetch(`${TRACE_SINK}/api/v2/trace/${traceId}`);
        if (answer.status !== 200) return undefined;
        const spans = (await answer.json()) as Span[];
        const seen = new Set(spans.map((span) => span.localEndpoint?.serviceName));
        return expected.every((service) => seen.has(service)) ? { seen, spans } : undefined;
      },
      30_000,
    );
    console.log(`[tracing] trace ${traceId}: ${services.spans.length} spans from ${[...services.seen].sort().join(', ')}`);
    expect(services.spans.some((span) => span.name?.includes('payments'))).toBe(true);
  }, 60_000);
});
