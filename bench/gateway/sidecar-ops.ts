import { request } from 'undici';

/**
 * What each sidecar did in a measured window, read from its own Prometheus metrics (daprd's `--metrics-port`,
 * on loopback), so the cost model's "calls per order" is counted by Dapr rather than estimated from the code.
 */
export interface SidecarOps {
  /** The app's calls to its sidecar's state API (reads, writes, transactions). */
  state: number;
  /** Its publishes. */
  publish: number;
  /** Its service invocations of another app. */
  invoke: number;
  /** Its other calls (secrets, bindings); health probes are left out. */
  other: number;
  /** Service invocations this sidecar received from another sidecar. */
  invocations: number;
  /** Events this sidecar delivered to its app. */
  deliveries: number;
}

export const SIDECAR_OPS: Array<keyof SidecarOps> = ['state', 'publish', 'invoke', 'other', 'invocations', 'deliveries'];

/** Which of the app's calls a sample of `dapr_http_server_request_count` is, by its `path` label. */
function callKind(labels: string): keyof SidecarOps | undefined {
  const path = /path="([^"]*)"/.exec(labels)?.[1] ?? '';
  if (path.includes('/healthz')) return undefined;
  if (path.startsWith('/v1.0/state/')) return 'state';
  if (path.startsWith('/v1.0/publish/')) return 'publish';
  if (path.startsWith('/v1.0/invoke/')) return 'invoke';
  return 'other';
}

/** What a sample counts, from its metric name and labels (daprd 1.18's names). */
function opOf(name: string, labels: string): keyof SidecarOps | undefined {
  if (name === 'dapr_http_server_request_count') return callKind(labels);
  if (name === 'dapr_runtime_service_invocation_req_recv_total') return 'invocations';
  if (name === 'dapr_component_pubsub_ingress_count') return 'deliveries';
  return undefined;
}

/** The counters of a sidecar, summed over their samples, from its Prometheus text exposition. */
export function countersIn(exposition: string): SidecarOps {
  const totals = Object.fromEntries(SIDECAR_OPS.map((op) => [op, 0])) as unknown as SidecarOps;
  for (const line of exposition.split('\n')) {
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([^ ]+)/.exec(line);
    const op = sample && opOf(sample[1]!, sample[2] ?? '');
    if (!op) continue;
    const value = Number(sample[3]);
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
    Object.fromEntries(SIDECAR_OPS.map((op) => [op, (end[op] - (start?.[op] ?? 0)) / orders])) as unknown as SidecarOps;
  return Object.fromEntries([...after].map(([appId, end]) => [appId, perOrder(end, before.get(appId))]));
}
