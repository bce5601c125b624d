import { Topic } from '@burger/contracts';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { loadRunFile, type AppSpec } from '../tools/launcher/src/run-file.js';
import { loadOrCreateSecrets, type LocalSecrets } from '../tools/launcher/src/secrets.js';
import { BASELINE_TOPICS, startBaseline } from './baseline/index.js';
import type { HistoryReport } from './history/report.js';
import type { GatewayReport } from './gateway/report.js';
import { issue18Goals, runBenchScript, type ChildBench } from './issue-goals.js';
import { closedLoop, retryAfterOf, type PlaceOne } from './load.js';
import { ArrivalWatcher } from './arrival-watcher.js';
import { renderReport, SYSTEMS, type BenchReport, type RunResult, type SystemKey } from './report.js';
import { publishResults, runBenchmark } from './results-file.js';
import { watchResources, type ProcessCost } from './resources.js';
import { startStackProcess } from './stack-process.js';
import { ascending, percentile, spread } from './stats.js';
import { daprPlacement, directPlacement, runTag, visibleInView } from './systems.js';

/**
 * `npm run bench`: starts the real stack as `npm start` does and measures, in one run:
 * start-up (cold and warm); order placement at fixed concurrency through the whole
 * system; the same through a stack of only order, pay and store beside the direct
 * baseline (the same use cases on drivers, no sidecars); propagation to the store and
 * the view; and what each process spent. Then, unless skipped, bench/gateway.ts (signed-in
 * customers through the front door) and bench/history.ts (a million orders of history), and
 * one table of issue 18's goals from all three. Prints Markdown tables and writes the JSON.
 */
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    levels: { type: 'string', default: '8,32,128' },
    'skip-start': { type: 'boolean', default: false },
    // The customer's path (bench/gateway.ts) and the history scenario (bench/history.ts), each as it runs alone.
    'skip-gateway': { type: 'boolean', default: false },
    'skip-history': { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const DURATION_MS = Number(args.seconds) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const LEVELS = args.levels!.split(',').map(Number);
/** The apps the order → pay → publish → consume flow needs; the rest of the system also consumes every event. */
const CORE_APPS = 'order,pay,store';
const log = (line: string) => console.error(`[bench] ${line}`);

async function measureStartUp(): Promise<{ cold: number[]; warm: number[] }> {
  const times = { cold: [] as number[], warm: [] as number[] };
  if (args['skip-start']) return times;
  for (let run = 1; run <= RUNS; run++) {
    for (const mode of ['cold', 'warm'] as const) {
      log(`start-up ${mode}, run ${run}/${RUNS}`);
      const stack = await startStackProcess(mode, log);
      times[mode].push(stack.readySeconds);
      await stack.stop();
    }
  }
  return times;
}

/** One load run plus the propagation of every order it placed. */
async function loadRun(level: number, place: PlaceOne, watcher: ArrivalWatcher): Promise<RunResult> {
  const accepted = new Map<string, number>();
  const result = await closedLoop(level, DURATION_MS, WARMUP_MS, place, (orderId, at) => accepted.set(orderId, at));
  const propagation = await watcher.propagation(accepted);
  log(
    `  ${result.completed} orders, ${result.ordersPerSecond.toFixed(1)}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError})` : ''}; queued p50 ${propagation.p50} ms p99 ${propagation.p99} ms, ${propagation.missing} not queued`,
  );
  return { ...result, propagation };
}

class Phases {
  readonly runs = new Map<string, RunResult[]>();
  readonly costs = new Map<SystemKey, ProcessCost[]>();
  readonly ordersPlaced: Record<SystemKey, number> = { dapr: 0, daprCore: 0, direct: 0 };

  /** RUNS load runs of one system at one level, with every process's CPU and RSS watched. */
  async measure(system: SystemKey, level: number, place: (run: string) => PlaceOne, watcher: ArrivalWatcher): Promise<void> {
    const resources = watchResources();
    const results: RunResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      log(`${SYSTEMS[system]} at concurrency ${level}, run ${run}/${RUNS}`);
      results.push(await loadRun(level, place(runTag()), watcher));
    }
    this.runs.set(`${system}@${level}`, results);
    this.ordersPlaced[system] += results.reduce((sum, r) => sum + r.completed, 0);
    this.costs.set(system, mergeCosts(this.costs.get(system) ?? [], resources.stop()));
  }
}

/** CPU seconds add up across phases; peak RSS is the highest seen. */
function mergeCosts(total: ProcessCost[], phase: ProcessCost[]): ProcessCost[] {
  const byName = new Map(total.map((cost) => [cost.name, cost]));
  for (const cost of phase) {
    const sum = byName.get(cost.name) ?? { name: cost.name, cpuSeconds: 0, peakRssMb: 0 };
    byName.set(cost.name, {
      name: cost.name,
      cpuSeconds: sum.cpuSeconds + cost.cpuSeconds,
      peakRssMb: Math.max(sum.peakRssMb, cost.peakRssMb),
    });
  }
  return [...byName.values()];
}

async function withStack<T>(
  env: Record<string, string>,
  work: (apps: Map<string, AppSpec>, secrets: LocalSecrets) => Promise<T>,
): Promise<T> {
  const stack = await startStackProcess('warm', log, env);
  try {
    return await work(new Map(loadRunFile().map((app) => [app.appId, app])), loadOrCreateSecrets());
  } finally {
    await stack.stop();
  }
}

/** The whole system: every subscriber (store, order-view, notification, marketing) consumes what it reads. */
async function measureWholeSystem(phases: Phases) {
  return withStack({}, async (apps, secrets) => {
    const watcher = new ArrivalWatcher(Topic.storeQueueEvents);
    await watcher.start();
    const viaDapr = daprPlacement(apps.get('order')!, secrets);
    for (const level of LEVELS) await phases.measure('dapr', level, viaDapr, watcher);
    const view = await measureViewPropagation(viaDapr, watcher, apps.get('order-view')!, secrets);
    await watcher.stop();
    return view;
  });
}

/** Only order, pay and store on Dapr, beside the direct baseline doing the same flow, level by level. */
async function measureOverhead(phases: Phases): Promise<void> {
  await withStack({ BURGER_STACK_ONLY: CORE_APPS }, async (apps, secrets) => {
    const baseline = await startBaseline(secrets); // creates its topics, so before the watchers subscribe
    const daprWatcher = new ArrivalWatcher(Topic.storeQueueEvents);
    const directWatcher = new ArrivalWatcher(BASELINE_TOPICS.storeEvents);
    await Promise.all([daprWatcher.start(), directWatcher.start()]);
    for (const level of LEVELS) {
      await phases.measure('daprCore', level, daprPlacement(apps.get('order')!, secrets), daprWatcher);
      await phases.measure('direct', level, directPlacement(baseline.orderUrl), directWatcher);
    }
    await baseline.close();
    await Promise.all([daprWatcher.stop(), directWatcher.stop()]);
  });
}

/**
 * A customer's app after a refusal: the heavy levels before may have opened the payment
 * breaker (that is its job), so a refusal is tried again after its Retry-After (1 s when
 * none is given), for up to about half a minute.
 */
async function placeRetrying(place: PlaceOne, n: number): Promise<string> {
  const giveUpAt = Date.now() + 30_000;
  for (;;) {
    try {
      return await place(n, 0);
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await new Promise((r) => setTimeout(r, retryAfterOf(error) || 1_000));
    }
  }
}

/** Low load (4 clients, 40 orders per run): accepted → visible in order-view and → queued. */
async function measureViewPropagation(
  viaDapr: (run: string) => PlaceOne,
  watcher: ArrivalWatcher,
  view: AppSpec,
  secrets: LocalSecrets,
): Promise<BenchReport['view']> {
  const runs: BenchReport['view'] = [];
  for (let run = 1; run <= RUNS; run++) {
    const place = viaDapr(runTag());
    const accepted = new Map<string, number>();
    const viewDelays: number[] = [];
    let next = 0;
    const client = async () => {
      while (next < 40) {
        const orderId = await placeRetrying(place, next++);
        const at = Date.now();
        accepted.set(orderId, at);
        const delay = await visibleInView(view, secrets, orderId, at);
        if (delay !== undefined) viewDelays.push(delay);
      }
    };
    await Promise.all(Array.from({ length: 4 }, client));
    const queued = await watcher.propagation(accepted);
    const sorted = ascending(viewDelays);
    runs.push({
      viewP50: percentile(sorted, 50),
      viewP99: percentile(sorted, 99),
      queuedP50: queued.p50,
      queuedP99: queued.p99,
      missing: accepted.size - viewDelays.length + queued.missing,
    });
    log(
      `propagation at low load, run ${run}: view p50 ${runs.at(-1)!.viewP50} ms p99 ${runs.at(-1)!.viewP99} ms; queued p50 ${queued.p50} ms p99 ${queued.p99} ms`,
    );
  }
  return runs;
}

async function main(): Promise<void> {
  log(
    `${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${RUNS} runs of ${DURATION_MS / 1000} s (+${WARMUP_MS / 1000} s warm-up) at concurrency ${LEVELS.join(', ')}`,
  );
  const startUp = await measureStartUp();
  const phases = new Phases();
  const view = await measureWholeSystem(phases);
  await measureOverhead(phases);
  const report: BenchReport = {
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    settings: { runs: RUNS, seconds: DURATION_MS / 1000, warmupSeconds: WARMUP_MS / 1000, levels: LEVELS },
    startUp: { cold: spread(startUp.cold), warm: spread(startUp.warm) },
    levels: LEVELS.map((concurrency) => ({
      concurrency,
      dapr: phases.runs.get(`dapr@${concurrency}`) ?? [],
      daprCore: phases.runs.get(`daprCore@${concurrency}`) ?? [],
      direct: phases.runs.get(`direct@${concurrency}`) ?? [],
    })),
    view,
    costs: { bySystem: Object.fromEntries(phases.costs) as Record<SystemKey, ProcessCost[]>, ordersPlaced: phases.ordersPlaced },
  };
  const skipped = <T>(script: string): ChildBench<T> => ({ script, markdown: '', failure: 'skipped (--skip flag)' });
  const gateway = args['skip-gateway'] ? skipped<GatewayReport>('gateway.ts') : await runBenchScript<GatewayReport>('gateway.ts', [], log);
  const history = args['skip-history'] ? skipped<HistoryReport>('history.ts') : await runBenchScript<HistoryReport>('history.ts', [], log);
  const children = { gateway: gateway.report ?? gateway.failure, history: history.report ?? history.failure };
  publishResults('bench', { ...report, children }, () =>
    [renderReport(report), gateway.markdown, history.markdown, issue18Goals(report, gateway, history).join('\n')]
      .filter(Boolean)
      .join('\n\n'),
  );
}

runBenchmark('bench', main);
