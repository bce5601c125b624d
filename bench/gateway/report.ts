import type { LoadResult } from '../load.js';
import { spread } from '../stats.js';
import type { ProcessGroup } from './cpu-groups.js';
import type { SidecarOps } from './sidecar-ops.js';

/**
 * What bench/gateway.ts writes to bench/results (and `npm run bench` reads back), in a module of its own:
 * importing gateway.ts would run that benchmark.
 */
export interface GatewaySettings {
  clients: number;
  runs: number;
  seconds: number;
  warmup: number;
  accounts: number;
  addresses: number;
  settle: number;
  /** How long (s) the CPU at rest is measured, after the settle. */
  idle: number;
  sampling: number;
}

export interface GatewayReport {
  settings: GatewaySettings;
  /** Dapr's runs (empty when only the twin was measured). */
  runs: GatewayRun[];
  /** Each system's CPU at rest by group, CPU-ms per second. */
  idle?: Partial<Record<'dapr' | 'twin', Record<ProcessGroup, number>>>;
  /** The direct twin's runs, when it was measured. */
  twin?: GatewayRun[];
}

export interface GatewayRun extends LoadResult {
  propagation: { p50: number; p99: number; missing: number };
  /** The first leg: accepted → OrderPlaced on the broker (order's outbox relay). */
  published: { p50: number; p99: number; missing: number };
  cpuSeconds: Record<ProcessGroup, number>;
  /** CPU-seconds of each stack process (by launcher name), for the by-process table. */
  cpuByProcess: Record<string, number>;
  /** CPU of every stack process per accepted order, ms (the harness excluded). */
  cpuMsPerOrder: number;
  /** Each app's sidecar operations per accepted order, by app-id (Dapr only: the twin has no sidecar). */
  sidecarOps?: Record<string, SidecarOps>;
}

/** Dapr's CPU per order over the twin's (medians), when both ran. */
export function cpuOverTwin(report: Pick<GatewayReport, 'runs' | 'twin'>): number | undefined {
  if (!report.runs.length || !report.twin?.length) return undefined;
  const median = (runs: GatewayRun[]) => spread(runs.map((r) => r.cpuMsPerOrder)).median;
  return median(report.runs) / median(report.twin);
}
