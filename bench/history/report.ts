import type { LoadResult } from '../load.js';
import { HARNESS, type ProcessCost } from '../resources.js';
import { formatSpread, spread } from '../stats.js';
import type { SeedTiming } from './seed.js';
import type { SweepQueryCost } from './sweep-queries.js';

export { HARNESS };

export interface IdleWindow {
  seconds: number;
  /** CPU-seconds of every stack process (the harness excluded), summed. */
  stackCpuSeconds: number;
  byProcess: ProcessCost[];
}

export interface PhaseResult {
  orderRows: number;
  idle: IdleWindow[];
  load: LoadResult[];
  sweeps: SweepQueryCost[];
  /** Largest kitchen board (`store||branch-<id>`) among the load's branches after the load, bytes. */
  largestBoardBytes: number;
}

export interface HistoryReport {
  machine: { cpus: number; memoryGiB: number };
  settings: {
    orders: number;
    clients: number;
    runs: number;
    seconds: number;
    warmupSeconds: number;
    settleSeconds: number;
    idleWindows: number;
    idleSeconds: number;
  };
  /** Cold start of the stack, s. */
  readySeconds: number;
  seeding: {
    postgres: SeedTiming & { vacuumSeconds: number };
    redis: SeedTiming & { rewriteSeconds: number; keysByDb: Record<number, number> };
    sqlite: SeedTiming & { byTable: Record<string, number> };
    totalSeconds: number;
  };
  empty: PhaseResult;
  history: PhaseResult;
}

const TARGET = 0.1;
const median = (values: number[]) => spread(values).median;
const idleOf = (phase: PhaseResult) => median(phase.idle.map((w) => w.stackCpuSeconds / w.seconds));
const cpuOf = (phase: PhaseResult, name: string) =>
  median(phase.idle.map((w) => (w.byProcess.find((p) => p.name === name)?.cpuSeconds ?? 0) / w.seconds));

function row(label: string, empty: number, history: number, digits: number, higherIsWorse: boolean, target = true): string {
  const ratio = history / empty;
  const within = higherIsWorse ? ratio <= 1 + TARGET : ratio >= 1 - TARGET;
  return `| ${label} | ${empty.toFixed(digits)} | ${history.toFixed(digits)} | ${ratio.toFixed(2)} |${target ? ` ${within ? 'met' : '**not met**'} |` : ' – |'}`;
}

export function renderHistoryReport(report: HistoryReport): string {
  const { empty, history, settings, seeding } = report;
  const load = (phase: PhaseResult, pick: (r: LoadResult) => number) => median(phase.load.map(pick));
  const perWindow = `CPU-s per ${settings.idleSeconds} s`;
  const processes = [...new Set([...empty.idle, ...history.idle].flatMap((w) => w.byProcess.map((p) => p.name)))].filter(
    (name) => name !== HARNESS,
  );
  const top = processes.sort((a, b) => cpuOf(history, b) - cpuOf(history, a)).slice(0, 8);
  return [
    `## History scenario (${report.machine.cpus} CPUs; ${settings.orders.toLocaleString('en')} orders of history; ${settings.clients} clients; median of ${settings.runs} runs of ${settings.seconds} s; idle: median of ${settings.idleWindows} windows of ${settings.idleSeconds} s after ${settings.settleSeconds} s settling)`,
    '',
    '| measure | empty | history | history / empty | within 10 % |',
    '|---|---|---|---|---|',
    row(
      'orders/s',
      load(empty, (r) => r.ordersPerSecond),
      load(history, (r) => r.ordersPerSecond),
      1,
      false,
    ),
    row(
      'p50 ms',
      load(empty, (r) => r.p50),
      load(history, (r) => r.p50),
      1,
      true,
      false,
    ),
    row(
      'p99 ms',
      load(empty, (r) => r.p99),
      load(history, (r) => r.p99),
      1,
      true,
      false,
    ),
    row(`idle CPU, all processes (${perWindow})`, idleOf(empty) * settings.idleSeconds, idleOf(history) * settings.idleSeconds, 2, true),
    row('idle CPU, % of one core', idleOf(empty) * 100, idleOf(history) * 100, 1, true),
    row('kitchen board, largest after the load (bytes)', empty.largestBoardBytes, history.largestBoardBytes, 0, true, false),
    `| rows in orderstore | ${empty.orderRows} | ${history.orderRows} | | |`,
    '',
    `Load runs (orders/s, p50, p99, errors): empty ${empty.load.map((r) => `${r.ordersPerSecond.toFixed(1)}/${r.p50.toFixed(0)}/${r.p99.toFixed(0)}/${r.errors}`).join(', ')}; history ${history.load.map((r) => `${r.ordersPerSecond.toFixed(1)}/${r.p50.toFixed(0)}/${r.p99.toFixed(0)}/${r.errors}`).join(', ')}`,
    `Idle windows (${perWindow}, all processes): empty ${empty.idle.map((w) => w.stackCpuSeconds.toFixed(2)).join(', ')}; history ${history.idle.map((w) => w.stackCpuSeconds.toFixed(2)).join(', ')}`,
    '',
    `### Idle CPU by process (${perWindow}, median window)`,
    '| process | empty | history | history / empty |',
    '|---|---|---|---|',
    ...top.map((name) => {
      const [e, h] = [cpuOf(empty, name) * settings.idleSeconds, cpuOf(history, name) * settings.idleSeconds];
      return `| ${name} | ${e.toFixed(2)} | ${h.toFixed(2)} | ${e > 0 ? (h / e).toFixed(2) : '–'} |`;
    }),
    '',
    '### Sweep queries on PostgreSQL (EXPLAIN ANALYZE, median of 5, ms)',
    '| query | empty | history | plan (history) |',
    '|---|---|---|---|',
    ...history.sweeps.map(
      (q, k) => `| ${q.name} | ${empty.sweeps[k]?.medianMs.toFixed(2) ?? '–'} | ${q.medianMs.toFixed(2)} | ${q.plan} |`,
    ),
    '',
    '### Seeding',
    `- PostgreSQL orderstore: ${seeding.postgres.rows.toLocaleString('en')} rows in ${seeding.postgres.seconds.toFixed(1)} s, then VACUUM ANALYZE + CHECKPOINT ${seeding.postgres.vacuumSeconds.toFixed(1)} s`,
    `- Redis: ${seeding.redis.rows.toLocaleString('en')} keys (${Object.entries(seeding.redis.keysByDb)
      .map(([db, n]) => `db ${db}: ${n.toLocaleString('en')}`)
      .join(', ')}) in ${seeding.redis.seconds.toFixed(1)} s, then AOF rewrite ${seeding.redis.rewriteSeconds.toFixed(1)} s`,
    `- SQLite: ${Object.entries(seeding.sqlite.byTable)
      .map(([table, n]) => `${table} ${n.toLocaleString('en')} rows`)
      .join(', ')} in ${seeding.sqlite.seconds.toFixed(1)} s`,
    `- total ${seeding.totalSeconds.toFixed(1)} s (all three at once, into the running stack; stack cold start ${report.readySeconds.toFixed(1)} s)`,
    '',
    `Spread of throughput: empty ${formatSpread(spread(empty.load.map((r) => r.ordersPerSecond)), 1)}, history ${formatSpread(spread(history.load.map((r) => r.ordersPerSecond)), 1)}`,
  ].join('\n');
}
