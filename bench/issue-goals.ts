import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuOverTwin, type GatewayReport } from './gateway/report.js';
import type { HistoryReport, PhaseResult } from './history/report.js';
import type { BenchReport, SystemKey } from './report.js';
import { formatSpread, spread } from './stats.js';

/**
 * Issue 18's goals, in one table, from one `npm run bench`: the placement phases of bench/run.ts, then
 * bench/gateway.ts and bench/history.ts run as they run alone (each a child process that starts its own
 * stack), so each can still be run by itself and none is measured differently here.
 */
export interface ChildBench<T> {
  script: string;
  markdown: string;
  report?: T;
  /** Why there is no report (the child failed); the table says so instead of leaving the row out. */
  failure?: string;
}

/** Runs `bench/<script>` with node and tsx; its stdout is the Markdown, whose last "JSON: " line names its report. */
export function runBenchScript<T>(script: string, args: string[], log: (line: string) => void): Promise<ChildBench<T>> {
  log(`running bench/${script} ${args.join(' ')}`.trim());
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let markdown = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (markdown += chunk));
  return new Promise((done) => {
    child.once('exit', (code) => {
      const file = /JSON: (.+)\s*$/.exec(markdown.trimEnd())?.[1];
      const body = markdown.replace(/\n?JSON: .+\s*$/, '').trim();
      if (code !== 0 || !file) return done({ script, markdown: body, failure: `exited with ${code}` });
      done({ script, markdown: body, report: JSON.parse(readFileSync(file.trim(), 'utf8')) as T });
    });
  });
}

const GOALS = { ordersPerSecond: 150, p99Ms: 300, cpuMsPerOrder: 12, propagationP99Ms: 250, overTwin: 2, historyDrift: 0.1 } as const;
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

function gatewayRows(gateway: ChildBench<GatewayReport>): string[] {
  const report = gateway.report;
  if (!report) return [`| through the gateway | – | not measured: bench/${gateway.script} ${gateway.failure} | **not measured** |`];
  const of = (pick: (run: GatewayReport['runs'][number]) => number) => spread(report.runs.map(pick));
  const [rate, p99, cpu, propagation] = [
    of((r) => r.ordersPerSecond),
    of((r) => r.p99),
    of((r) => r.cpuMsPerOrder),
    of((r) => r.propagation.p99),
  ];
  const errors = report.runs.reduce((sum, r) => sum + r.errors, 0);
  const at = `${report.settings.clients} clients`;
  return [
    `| orders/s through the gateway, signed in, ${at} | ≥ ${GOALS.ordersPerSecond} | ${formatSpread(rate, 1)} | ${verdict(rate.median >= GOALS.ordersPerSecond)} |`,
    `| p99 of a placement, ${at} | ≤ ${GOALS.p99Ms} ms | ${formatSpread(p99)} ms | ${verdict(p99.median <= GOALS.p99Ms)} |`,
    `| errors, ${at} (all runs) | 0 | ${errors} | ${verdict(errors === 0)} |`,
    `| CPU per order, every stack process | ≤ ${GOALS.cpuMsPerOrder} ms | ${formatSpread(cpu, 1)} ms | ${verdict(cpu.median <= GOALS.cpuMsPerOrder)} |`,
    `| accepted → OrderQueued p99, ${at} | ≤ ${GOALS.propagationP99Ms} ms | ${formatSpread(propagation)} ms | ${verdict(propagation.median <= GOALS.propagationP99Ms)} |`,
  ];
}

/** CPU per order of one system over its placement phases (every process watched, the harness included for the baseline). */
function cpuPerOrder(bench: BenchReport, system: SystemKey): number {
  const cpu = (bench.costs.bySystem[system] ?? []).reduce((sum, cost) => sum + cost.cpuSeconds, 0);
  return (cpu * 1000) / Math.max(1, bench.costs.ordersPlaced[system]);
}

/** From bench/gateway.ts's twin (the same apps, drivers in place of daprd); bench/baseline, which does less, only when it did not run. */
function twinRow(bench: BenchReport, gateway: ChildBench<GatewayReport>): string {
  const goal = `| Dapr ≤ ${GOALS.overTwin}× a faithful direct twin, CPU per order | ≤ ${GOALS.overTwin}×`;
  const ratio = gateway.report ? cpuOverTwin(gateway.report) : undefined;
  if (ratio !== undefined)
    return `${goal} | ${ratio.toFixed(2)}× (through the gateway, bench/twin) | ${verdict(ratio <= GOALS.overTwin)} |`;
  const baseline = cpuPerOrder(bench, 'daprCore') / cpuPerOrder(bench, 'direct');
  return `${goal} | twin not run; order+pay+store against bench/baseline (which does less): ${baseline.toFixed(1)}× | **not measured** |`;
}

function historyRows(history: ChildBench<HistoryReport>): string[] {
  const report = history.report;
  if (!report)
    return [`| history within 10 % of empty | – | not measured: bench/${history.script} ${history.failure} | **not measured** |`];
  const rate = (phase: PhaseResult) => spread(phase.load.map((r) => r.ordersPerSecond)).median;
  const idle = (phase: PhaseResult) => spread(phase.idle.map((w) => w.stackCpuSeconds / w.seconds)).median;
  const [rateRatio, idleRatio] = [rate(report.history) / rate(report.empty), idle(report.history) / idle(report.empty)];
  const orders = report.settings.orders.toLocaleString('en');
  return [
    `| orders/s with ${orders} orders of history, against empty | ≥ ${1 - GOALS.historyDrift} | ${rateRatio.toFixed(2)} | ${verdict(rateRatio >= 1 - GOALS.historyDrift)} |`,
    `| idle CPU with ${orders} orders of history, against empty | ≤ ${1 + GOALS.historyDrift} | ${idleRatio.toFixed(2)} | ${verdict(idleRatio <= 1 + GOALS.historyDrift)} |`,
  ];
}

export function issue18Goals(bench: BenchReport, gateway: ChildBench<GatewayReport>, history: ChildBench<HistoryReport>): string[] {
  return [
    '### Issue 18 goals, this run (reported, not tuned for)',
    '',
    '| goal | target | measured (median, min–max) | |',
    '|---|---|---|---|',
    ...gatewayRows(gateway),
    twinRow(bench, gateway),
    ...historyRows(history),
  ];
}
