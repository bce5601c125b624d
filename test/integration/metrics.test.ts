import { describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { stackInfo } from '../support/stack-info.js';
import { newCustomer, placeOrder, waitUntilQueued } from '../support/scenario.js';

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Sum of a counter's samples (all label sets) in a Prometheus text exposition. */
function total(metrics: string, name: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('metrics for Prometheus', () => {
  it('every app serves request, process and business metrics; every sidecar serves Dapr metrics', async () => {
    const info = stackInfo();
    const before = total(await scrape(info.apps.order!.appPort), 'burger_orders_placed_total');
    const order = await placeOrder(newCustomer('metrics'), 'gangnam');
    await waitUntilQueued('gangnam', [order.orderId]);

    const orderMetrics = await scrape(info.apps.order!.appPort);
    expect(total(orderMetrics, 'burger_orders_placed_total')).toBe(before + 1);
    expect(orderMetrics).toContain('burger_http_request_duration_seconds_bucket');
    expect(orderMetrics).toContain('burger_process_resident_memory_bytes');
    await eventually('store counted the event', async () =>
      total(await scrape(info.apps.store!.appPort), 'burger_events_handled_total') > 0 ? true : undefined);

    for (const [appId, app] of Object.entries(info.apps)) {
      const sidecar = await scrape(app.metricsPort);
      expect(sidecar, appId).toMatch(/^dapr_/m);
    }
  });
});
