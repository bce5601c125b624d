import type { LoadResult } from './load.js';
import type { ProcessCost } from './resources.js';
import { formatSpread, spread, type Spread } from './stats.js';

export type RunResult = LoadResult & { propagation: { p50: number; p99: number; missing: number } };

export type SystemKey = 'dapr' | 'daprCore' | 'direct';

export const SYSTEMS: Record<SystemKey, string> = {
  dapr: 'Dapr, whole system',
  daprCore: 'Dapr, order+pay+store only',
  direct: 'direct baseline',
};

export interface LevelRuns {
  concurrency: number;
  dapr: RunResult[];
  daprCore: RunResult[];
  direct: RunResult[];
}

export interface BenchReport {
  machine: { cpus: number; memoryGiB: number };
  settings: { runs: number; seconds: number; warmupSeconds: number; levels: number[] };
  startUp: { cold: Spread; warm: Spread };
  levels: LevelRuns[];
  view: Array<{ viewP50: number; viewP99: number; queuedP50: number; queuedP99: number; missing: number }>;
  costs: { bySystem: Record<SystemKey, ProcessCost[]>; ordersPlaced: Record<SystemKey, number> };
}

const GOALS = { ordersPerSecond: 500, p99Ms: 150, propagationP99Ms: 250, daprOverDirect: 1.5, warmStartSeconds: 30 } as const;

const of = (runs: RunResult[], pick: (run: RunResult) => number) => spread(runs.map(pick));
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

function placementTable(levels: LevelRuns[]): string[] {
  const rows = [
    '| system | clients | orders/s | p50 ms | p90 ms | p99 ms | errors | → queued p50 ms | → queued p99 ms | never queued |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const level of levels) {
    for (const system of ['dapr', 'daprCore', 'direct'] as const) {
      const runs = level[system];
      if (runs.length === 0) continue;
      rows.push(
        `| ${SYSTEMS[system]} | ${level.concurrency} | ${formatSpread(
          of(runs, (r) => r.ordersPerSecond),
          1,
        )} | ${formatSpread(
          of(runs, (r) => r.p50),
          1,
        )} | ${formatSpread(
          of(runs, (r) => r.p90),
          1,
        )} | ${formatSpread(
          of(runs, (r) => r.p99),
          1,
        )} | ${formatSpread(of(runs, (r) => r.errors))} | ${formatSpread(of(runs, (r) => r.propagation.p50))} | ${formatSpread(of(runs, (r) => r.propagation.p99))} | ${formatSpread(of(runs, (r) => r.propagation.missing))} |`,
      );
    }
  }
  return rows;
}

function ratioTable(levels: LevelRuns[]): string[] {
  const rows = [
    '| clients | p50 Dapr / direct | p99 Dapr / direct | throughput direct / Dapr | p50 whole system / direct |',
    '|---|---|---|---|---|',
  ];
  const median = (runs: RunResult[], pick: (run: RunResult) => number) => of(runs, pick).median;
  for (const level of levels) {
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    rows.push(
      `| ${level.concurrency} | ${ratio(
        median(level.daprCore, (r) => r.p50),
        median(level.direct, (r) => r.p50),
      )} | ${ratio(
        median(level.daprCore, (r) => r.p99),
        median(level.direct, (r) => r.p99),
      )} | ${ratio(
        median(level.direct, (r) => r.ordersPerSecond),
        median(level.daprCore, (r) => r.ordersPerSecond),
      )} | ${ratio(
        median(level.dapr, (r) => r.p50),
        median(level.direct, (r) => r.p50),
      )} |`,
    );
  }
  return rows;
}

function costTable(costs: BenchReport['costs']): string[] {
  const systems = (Object.keys(SYSTEMS) as SystemKey[]).filter((system) => costs.bySystem[system]);
  const rows = [
    `| process | ${systems.map((system) => `${SYSTEMS[system]}: CPU s · ms/order · peak MB`).join(' | ')} |`,
    `|---|${systems.map(() => '---').join('|')}|`,
  ];
  const names = [...new Set(systems.flatMap((system) => costs.bySystem[system].map((cost) => cost.name)))];
  const cpuOf = (name: string) => costs.bySystem.dapr?.find((cost) => cost.name === name)?.cpuSeconds ?? 0;
  for (const name of names.sort((a, b) => cpuOf(b) - cpuOf(a))) {
    const cells = systems.map((system) => {
      const cost = costs.bySystem[system].find((c) => c.name === name);
      if (!cost) return '–';
      const perOrder = (cost.cpuSeconds * 1000) / Math.max(1, costs.ordersPlaced[system]);
      return `${cost.cpuSeconds.toFixed(1)} · ${perOrder.toFixed(2)} · ${cost.peakRssMb.toFixed(0)}`;
    });
    rows.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  const totals = systems.map((system) => {
    const cpu = costs.bySystem[system].reduce((sum, cost) => sum + cost.cpuSeconds, 0);
    return `**${cpu.toFixed(1)} · ${((cpu * 1000) / Math.max(1, costs.ordersPlaced[system])).toFixed(2)}**`;
  });
  rows.push(`| **all** | ${totals.join(' | ')} |`);
  return rows;
}

function goals(report: BenchReport): string[] {
  const dapr = report.levels.map((level) => ({
    level,
    rate: of(level.dapr, (r) => r.ordersPerSecond).median,
    p99: of(level.dapr, (r) => r.p99).median,
  }));
  const best = dapr.filter((d) => d.p99 <= GOALS.p99Ms).sort((a, b) => b.rate - a.rate)[0];
  const propagation = Math.max(...report.levels.map((level) => of(level.dapr, (r) => r.propagation.p99).median));
  const worstRatio = Math.max(
    ...report.levels.map((level) => of(level.daprCore, (r) => r.p50).median / of(level.direct, (r) => r.p50).median),
  );
  return [
    `- ≥ ${GOALS.ordersPerSecond} orders/s with p99 ≤ ${GOALS.p99Ms} ms: best level within the p99 goal ${best ? `${best.rate.toFixed(1)} orders/s at ${best.level.concurrency} clients` : 'none'} → ${verdict(!!best && best.rate >= GOALS.ordersPerSecond)}`,
    `- propagation p99 ≤ ${GOALS.propagationP99Ms} ms: worst level's median p99 to the store ${propagation.toFixed(0)} ms → ${verdict(propagation <= GOALS.propagationP99Ms)}`,
    `- Dapr ≤ ${GOALS.daprOverDirect}× the direct baseline's latency: worst p50 ratio ${worstRatio.toFixed(2)}× → ${verdict(worstRatio <= GOALS.daprOverDirect)}`,
    `- whole stack up ≤ ${GOALS.warmStartSeconds} s warm: ${Number.isFinite(report.startUp.warm.median) ? `${report.startUp.warm.median.toFixed(1)} s → ${verdict(report.startUp.warm.median <= GOALS.warmStartSeconds)}` : 'not measured (--skip-start)'}`,
  ];
}

export function renderReport(report: BenchReport): string {
  const { machine, settings } = report;
  const view = {
    viewP50: spread(report.view.map((v) => v.viewP50)),
    viewP99: spread(report.view.map((v) => v.viewP99)),
    queuedP50: spread(report.view.map((v) => v.queuedP50)),
    queuedP99: spread(report.view.map((v) => v.queuedP99)),
  };
  return [
    `## Benchmark (${machine.cpus} CPUs, ${machine.memoryGiB} GiB; each figure: median (min–max) of ${settings.runs} runs of ${settings.seconds} s after ${settings.warmupSeconds} s warm-up)`,
    '',
    '### Order placement and propagation to the store (accepted → OrderQueued published by the kitchen)',
    ...placementTable(report.levels),
    '',
    '### Dapr overhead: order+pay+store on Dapr vs the same use cases on plain HTTP and drivers (no sidecars)',
    ...ratioTable(report.levels),
    '',
    '### Propagation at low load (4 clients, 40 orders per run, Dapr)',
    '| accepted → | p50 ms | p99 ms |',
    '|---|---|---|',
    `| visible in order-view | ${formatSpread(view.viewP50)} | ${formatSpread(view.viewP99)} |`,
    `| queued in the store | ${formatSpread(view.queuedP50)} | ${formatSpread(view.queuedP99)} |`,
    '',
    `### Resource cost during the load runs (orders placed: ${(Object.keys(SYSTEMS) as SystemKey[]).map((system) => `${SYSTEMS[system]} ${report.costs.ordersPlaced[system]}`).join(', ')})`,
    ...costTable(report.costs),
    '',
    '### Start-up: `npm start` until every app and sidecar is ready (s)',
    '| cold (no data dirs, no tsx cache) | warm |',
    '|---|---|',
    `| ${formatSpread(report.startUp.cold, 1)} | ${formatSpread(report.startUp.warm, 1)} |`,
    '',
    '### Against the goals (reported, not tuned for)',
    ...goals(report),
  ].join('\n');
}
