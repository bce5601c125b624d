import type { ProcessCost } from '../resources.js';

/** Where the CPU goes, by kind of process (issue 18's table). */
export const PROCESS_GROUPS = ['sidecars', 'apps', 'broker', 'stores', 'Dapr control plane', 'sinks'] as const;
export type ProcessGroup = (typeof PROCESS_GROUPS)[number] | 'harness';

/** The group of a process by its launcher name (.run/pids): `<app>-daprd`, the infrastructure names, else an app instance. */
export function groupOf(name: string, harness: string): ProcessGroup {
  if (name === harness) return 'harness';
  if (name.endsWith('-daprd')) return 'sidecars';
  if (name === 'kafka') return 'broker';
  if (name === 'postgres' || name === 'redis') return 'stores';
  if (name === 'sentry' || name === 'scheduler') return 'Dapr control plane';
  if (name.endsWith('-sink')) return 'sinks';
  return 'apps';
}

/** CPU-seconds per group; the harness (load generator) is kept apart and never counted as the system's. */
export function cpuByGroup(costs: readonly ProcessCost[], harness: string): Record<ProcessGroup, number> {
  const totals = Object.fromEntries([...PROCESS_GROUPS, 'harness'].map((g) => [g, 0])) as Record<ProcessGroup, number>;
  for (const cost of costs) totals[groupOf(cost.name, harness)] += cost.cpuSeconds;
  return totals;
}
