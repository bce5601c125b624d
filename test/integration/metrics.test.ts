import { describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { stackInfo } from '../support/stack-info.js';
import { referencedMetrics } from '../support/observability.js';
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
    // order-view: one replica, so it sees every event (store's two replicas split the partitions).
    await eventually('order-view counted the events', async () =>
      total(await scrape(info.apps['order-view']!.appPort), 'burger_events_handled_total') > 0 ? true : undefined,
    );

    for (const [appId, app] of Object.entries(info.apps)) {
      const sidecar = await scrape(app.metricsPort);
      expect(sidecar, appId).toMatch(/^dapr_/m);
    }
  });

  it('exposes every metric the alert rules and the Grafana dashboard read (k8s/observability)', async () => {
    const info = stackInfo();
    // Traffic first: Dapr only exports a series once it has something to count.
    const order = await placeOrder(newCustomer('metrics-refs'), 'jongno');
    await waitUntilQueued('jongno', [order.orderId]);
    const families = (text: string) => new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
    const fromApps = new Set<string>();
    const fromSidecars = new Set<string>();
    for (const app of Object.values(info.apps)) {
      for (const name of families(await scrape(app.appMetricsPort))) fromApps.add(name);
      for (const name of families(await scrape(app.metricsPort))) fromSidecars.add(name);
    }
    // A histogram's series (_bucket, _count, _sum) belong to the family its # TYPE line names.
    const exposed = (set: Set<string>, name: string) => set.has(name) || set.has(name.replace(/_(bucket|count|sum)$/, ''));
    for (const [name, where] of referencedMetrics('burger_'))
      expect(exposed(fromApps, name), `${name} (read by ${where.join(', ')})`).toBe(true);
    for (const [name, where] of referencedMetrics('dapr_'))
      expect(exposed(fromSidecars, name), `${name} (read by ${where.join(', ')})`).toBe(true);
    console.log(
      `[metrics] ${referencedMetrics('burger_').size} app and ${referencedMetrics('dapr_').size} sidecar metric families read by rules and dashboard, all exposed; kafka_* come from a Kafka exporter on the cluster`,
    );
  });
});
