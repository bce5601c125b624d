import { request } from 'undici';

/**
 * What each sidecar did in a measured window, read from its own Prometheus metrics (daprd's `--metrics-port`,
 * on loopback), so the cost model's "calls per order" is counted by Dapr rather than estimated from the code.
 */
export interface SidecarOps {
  /** HTTP requests the app made to its sidecar (state, publish, invoke, secrets, bindings, health). */
  calls: number;
  /** Service invocations this sidecar received from another sidecar (gRPC). */
  invocations: number;
  /** Events this sidecar delivered to its app. */
  deliveries: number;
  /** Events this sidecar published to the broker. */
  publishes: number;
}

export const SIDECAR_OPS: Record<keyof SidecarOps, string> = {
  calls: 'dapr_http_server_request_count',
  invocations: 'dapr_grpc_io_server_completed_rpcs',
  deliveries: 'dapr_component_pubsub_ingress_count',
  publishes: 'dapr_component_pubsub_egress_count',
};

/** The sum of every sample of each counter in a Prometheus text exposition. */
export function countersIn(exposition: string): SidecarOps {
  const totals: SidecarOps = { calls: 0, invocations: 0, deliveries: 0, publishes: 0 };
  const byName = new Map(Object.entries(SIDECAR_OPS).map(([op, name]) => [name, op as keyof SidecarOps]));
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    const op = name && byName.get(name);
    if (!op) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) totals[op] += value;
  }
  return totals;
}

/** Every sidecar's counters now, by app-id. */
export async function readSidecarOps(sidecars: ReadonlyArray<{ appId: string; metricsPort: number }>): Promise<Map<string, SidecarOps>> {
  const read = async ({ appId, metricsPort }: { appId: string; metricsPort: number }) => {
    const response = await request(`http://127.0.0.1:${metricsPort}/metrics`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`${appId}'s sidecar metrics answered ${response.statusCode}`);
    return [appId, countersIn(text)] as const;
  };
  return new Map(await Promise.all(sidecars.map(read)));
}

/** Each app's sidecar operations per order over a window, from the counters at its start and end. */
export function opsPerOrder(before: Map<string, SidecarOps>, after: Map<string, SidecarOps>, orders: number): Record<string, SidecarOps> {
  const perOrder = (end: SidecarOps, start: SidecarOps | undefined) =>
    Object.fromEntries(
      (Object.keys(SIDECAR_OPS) as Array<keyof SidecarOps>).map((op) => [op, (end[op] - (start?.[op] ?? 0)) / orders]),
    ) as unknown as SidecarOps;
  return Object.fromEntries([...after].map(([appId, end]) => [appId, perOrder(end, before.get(appId))]));
}
