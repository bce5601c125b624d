import { BRANCH_IDS } from '@burger/contracts';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_DIR } from '../tools/launcher/src/paths.js';
import { loadRunFile, type AppSpec } from '../tools/launcher/src/run-file.js';
import { loadOrCreateSecrets, type LocalSecrets } from '../tools/launcher/src/secrets.js';
import { renderHistoryReport, HARNESS, type HistoryReport, type IdleWindow, type PhaseResult } from './history/report.js';
import { seedPostgres, seedRedis, seedSqlite, type HistoryShape } from './history/seed.js';
import { ORDER_TABLE, postgres, redis } from './history/stores.js';
import { sweepQueryCosts } from './history/sweep-queries.js';
import { closedOrderTemplate } from './history/templates.js';
import { closedLoop, type LoadResult } from './load.js';
import { publishResults, runBenchmark } from './results-file.js';
import { watchResources } from './resources.js';
import { startStackProcess } from './stack-process.js';
import { daprPlacement, runTag, type PlacementRequest } from './systems.js';

/**
 * `npm run bench:history` (issue 13, item 5): does the system run as well in month
 * twelve as on day one? In one run: the real stack started cold (empty stores) is
 * measured (idle CPU with no load at all, then placement through order's sidecar at
 * fixed concurrency); then a million closed orders are written into the stores in
 * their own formats, cloned from two orders the running system closed itself (one
 * delivered, one cancelled); then the same stack is measured again, the same way, on
 * that history. Prints the side-by-side table with the ratios and writes the JSON.
 */
/** Every option is a number: `--orders 20000 --seconds 5` and so on. */
const DEFAULTS = { orders: 1_000_000, clients: 16, runs: 3, seconds: 20, warmup: 3, settle: 15, 'idle-windows': 3, 'idle-seconds': 15 };
const { values: args } = parseArgs({
  options: Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, { type: 'string' as const }])),
});
const arg = (name: keyof typeof DEFAULTS) => Number(args[name] ?? DEFAULTS[name]);
const settings: HistoryReport['settings'] = {
  orders: arg('orders'),
  clients: arg('clients'),
  runs: arg('runs'),
  seconds: arg('seconds'),
  warmupSeconds: arg('warmup'),
  settleSeconds: arg('settle'),
  idleWindows: arg('idle-windows'),
  idleSeconds: arg('idle-seconds'),
};
const HISTORY: HistoryShape = { count: settings.orders, branchIds: BRANCH_IDS };
const log = (line: string) => console.error(`[bench:history] ${line}`);
const pause = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

/** Fresh customers every run, at the real branches (order refuses others): those that served the history. */
const placementsAt =
  () =>
  (run: string, n: number): PlacementRequest => ({
    customerId: `bench-${run}-${n % 200}`,
    storeId: BRANCH_IDS[n % BRANCH_IDS.length]!,
    lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 + (n % 3) }],
  });

async function idleWindow(): Promise<IdleWindow> {
  const watch = watchResources(1_000);
  await pause(settings.idleSeconds);
  const byProcess = watch.stop();
  return {
    seconds: settings.idleSeconds,
    stackCpuSeconds: byProcess.filter((p) => p.name !== HARNESS).reduce((sum, p) => sum + p.cpuSeconds, 0),
    byProcess,
  };
}

async function largestBoard(secrets: LocalSecrets): Promise<number> {
  const client = await redis(secrets, 0);
  try {
    const sizes = await Promise.all(BRANCH_IDS.map((storeId) => client.hstrlen(`store||branch-${storeId}`, 'data')));
    return Math.max(...sizes);
  } finally {
    client.disconnect();
  }
}

/** Settle, idle windows (no load at all), then the closed-loop load runs, then the sweep queries' cost on what is stored. */
async function measurePhase(name: string, apps: Map<string, AppSpec>, secrets: LocalSecrets): Promise<PhaseResult> {
  log(`${name}: settling ${settings.settleSeconds} s`);
  await pause(settings.settleSeconds);
  const idle: IdleWindow[] = [];
  for (let window = 1; window <= settings.idleWindows; window++) {
    idle.push(await idleWindow());
    log(`${name}: idle window ${window}: ${idle.at(-1)!.stackCpuSeconds.toFixed(2)} CPU-s in ${settings.idleSeconds} s`);
  }
  const place = daprPlacement(apps.get('order')!, secrets, placementsAt());
  const load: LoadResult[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const result = await closedLoop(settings.clients, settings.seconds * 1000, settings.warmupSeconds * 1000, place(runTag()), () => {});
    load.push(result);
    log(
      `${name}: load run ${run}: ${result.completed} orders, ${result.ordersPerSecond.toFixed(1)}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError})` : ''}`,
    );
  }
  const sweeps = await sweepQueryCosts(secrets);
  for (const q of sweeps.queries) log(`${name}: ${q.name}: ${q.medianMs.toFixed(2)} ms (${q.plan}) over ${sweeps.rows} rows`);
  return { orderRows: sweeps.rows, idle, load, sweeps: sweeps.queries, largestBoardBytes: await largestBoard(secrets) };
}

async function orderRowCount(secrets: LocalSecrets): Promise<number> {
  const db = await postgres(secrets);
  try {
    return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${ORDER_TABLE}`)).rows[0]!.n);
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  log(
    `${cpus().length} CPUs; ${settings.orders} orders of history; ${settings.clients} clients, ${settings.runs} runs of ${settings.seconds} s (+${settings.warmupSeconds} s warm-up); idle ${settings.idleWindows} × ${settings.idleSeconds} s`,
  );
  const apps = new Map(loadRunFile().map((app) => [app.appId, app]));
  const stack = await startStackProcess('cold', log);
  let report: HistoryReport;
  try {
    const secrets = loadOrCreateSecrets();
    const empty = await measurePhase('empty', apps, secrets);

    log('closing two template orders (one delivered, one cancelled) to copy the history from');
    const templates = {
      Delivered: await closedOrderTemplate(apps, secrets, 'Delivered'),
      Cancelled: await closedOrderTemplate(apps, secrets, 'Cancelled'),
    };
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', 'history-templates.json'), JSON.stringify(templates, null, 2)); // to see what was cloned
    for (const t of Object.values(templates))
      log(
        `  ${t.outcome}: ${t.pgKeys.length} PostgreSQL, ${t.sqlite.reduce((n, s) => n + s.keys.length, 0)} SQLite, ${t.redis.length} Redis records; ${t.uuids.length} UUIDs`,
      );

    // Seeded into the running stores, as a month of orders would have left them; the apps keep running (a restart
    // would reload Redis, and its sidecars fail to start while Redis answers LOADING). SQLite takes the rows while
    // pay's sidecar has the file open: SQLite locks the file, and nothing else writes during the seeding.
    const seedStarted = performance.now();
    log(`seeding ${settings.orders} orders into PostgreSQL, Redis and SQLite`);
    const [pgSeed, redisSeed, sqliteSeed] = await Promise.all([
      seedPostgres(secrets, templates, HISTORY, log),
      seedRedis(secrets, templates, HISTORY, log),
      seedSqlite(templates, HISTORY),
    ]);
    const totalSeconds = (performance.now() - seedStarted) / 1000;
    log(
      `  PostgreSQL ${pgSeed.rows} rows in ${pgSeed.seconds.toFixed(1)} s (+ VACUUM and CHECKPOINT ${pgSeed.vacuumSeconds.toFixed(1)} s); Redis ${redisSeed.rows} keys in ${redisSeed.seconds.toFixed(1)} s (+ AOF rewrite ${redisSeed.rewriteSeconds.toFixed(1)} s); SQLite ${JSON.stringify(sqliteSeed.byTable)} in ${sqliteSeed.seconds.toFixed(1)} s; ${totalSeconds.toFixed(1)} s in all`,
    );
    log(`history: ${await orderRowCount(secrets)} rows in orderstore`);
    const history = await measurePhase('history', apps, secrets);
    report = {
      machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
      settings,
      readySeconds: stack.readySeconds,
      seeding: { postgres: pgSeed, redis: redisSeed, sqlite: sqliteSeed, totalSeconds },
      empty,
      history,
    };
  } finally {
    await stack.stop();
    // The million synthetic orders are the bench's, not the user's: left behind, the next `npm start` or `npm test`
    // would reload 4 million Redis keys and its sidecars fail while Redis answers LOADING (seen).
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
  publishResults('history', report, () => renderHistoryReport(report));
}

runBenchmark('bench:history', main);
