import { BRANCH_IDS, Topic } from '@burger/contracts';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { Agent, type buildConnector, request } from 'undici';
import { loadRunFile } from '../tools/launcher/src/run-file.js';
import { loadOrCreateSecrets } from '../tools/launcher/src/secrets.js';
import { signIn } from '../tools/launcher/src/sign-in.js';
import { cpuByGroup, PROCESS_GROUPS, type ProcessGroup } from './gateway/cpu-groups.js';
import { cpuOverTwin, type GatewayReport, type GatewayRun, type GatewaySettings } from './gateway/report.js';
import { opsPerOrder, readSidecarOps, SIDECAR_OPS, type SidecarOps } from './gateway/sidecar-ops.js';
import { closedLoop, type PlaceOne } from './load.js';
import { ArrivalWatcher } from './arrival-watcher.js';
import { HARNESS, watchResources } from './resources.js';
import { publishResults, runBenchmark } from './results-file.js';
import { startStackProcess } from './stack-process.js';
import { PlacementRefused } from './systems.js';
import { formatSpread, spread } from './stats.js';

/**
 * `npm run bench:gateway` (issue 18): the customer's real path, measured. Signed-in
 * customers (a load-test account directory, LOAD_TEST_ACCOUNTS) place orders through
 * the gateway's public port with the real rate limits on; the clients are spread over
 * loopback source addresses, as real customers come from many addresses. Per run:
 * orders/s, p50/p99, errors, accepted → OrderPlaced on the broker → OrderQueued, and the CPU every process of the
 * stack spent per order, by group (sidecars, apps, broker, stores…), the load
 * generator excluded.
 */
// sampling: the sidecars' trace sampling rate, production's 10 % by default (k8s/overlays/prod); tests keep 1.
const DEFAULTS: GatewaySettings = {
  clients: 32,
  runs: 3,
  seconds: 15,
  warmup: 3,
  accounts: 64,
  addresses: 32,
  settle: 10,
  idle: 10,
  sampling: 0.1,
};
const { values: args } = parseArgs({
  options: {
    ...(Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, { type: 'string' as const }])) as Record<
      keyof typeof DEFAULTS,
      { type: 'string' }
    >),
    // Which systems, measured one after the other, each with the other stopped: Dapr, and its direct twin
    // (bench/twin: the same apps, their sidecar calls answered by drivers in-process).
    systems: { type: 'string' as const },
  },
});
const arg = (name: keyof typeof DEFAULTS) => Number(args[name] ?? DEFAULTS[name]);
const settings = Object.fromEntries(
  Object.keys(DEFAULTS).map((name) => [name, arg(name as keyof typeof DEFAULTS)]),
) as unknown as GatewaySettings;
const SYSTEMS = { dapr: 'Dapr (apps + sidecars)', twin: 'direct twin (no sidecars)' } as const;
type GatewaySystem = keyof typeof SYSTEMS;
const systems = (args.systems ?? 'dapr,twin').split(',').map((name) => {
  if (!(name in SYSTEMS)) throw new Error(`--systems: ${name} is none of ${Object.keys(SYSTEMS).join(', ')}`);
  return name as GatewaySystem;
});
const log = (line: string) => console.error(`[bench:gateway] ${line}`);
/** Each system's CPU at rest, measured once before its runs. */
const idle = new Map<GatewaySystem, Record<ProcessGroup, number>>();

/**
 * One keep-alive connection pool per loopback source address (127.0.0.2, .3, …). The socket is bound by a
 * connector of our own: undici's `connect: { localAddress }` is not passed on to the socket, so every
 * client came from 127.0.0.1 and one address carried the whole load (seen 2026-12-02: the gateway
 * answered "too many requests from this address" once the load passed its 1,200 a minute).
 */
const agentsFor = (count: number) =>
  Array.from({ length: count }, (_, k) => new Agent({ connect: fromAddress(`127.0.0.${2 + k}`), keepAliveTimeout: 30_000 }));

/** Refuses to measure when the clients would not really come from their addresses (a local echo of the peer). */
async function checkSourceAddresses(agents: Agent[]): Promise<void> {
  const echo = createServer((req, res) => res.end(req.socket.remoteAddress));
  await new Promise<void>((listening) => echo.listen(0, '127.0.0.1', listening));
  try {
    const { port } = echo.address() as AddressInfo;
    for (const [k, agent] of [agents[0]!, agents.at(-1)!].entries()) {
      const seen = await (await request(`http://127.0.0.1:${port}/`, { dispatcher: agent })).body.text();
      const wanted = `127.0.0.${k === 0 ? 2 : agents.length + 1}`;
      if (seen !== wanted) throw new Error(`a client meant to come from ${wanted} came from ${seen}`);
    }
  } finally {
    echo.close();
  }
}

function fromAddress(localAddress: string): buildConnector.connector {
  return (options, callback) => {
    const socket = connect({ host: options.hostname, port: Number(options.port), localAddress, noDelay: true });
    socket.once('connect', () => callback(null, socket)).once('error', (error) => callback(error, null));
    return socket;
  };
}

function placeThroughGateway(origin: string, tokens: string[], agents: Agent[]): PlaceOne {
  return async (n, client) => {
    const token = tokens[(client + settings.clients * n) % tokens.length]!;
    const response = await request(`${origin}/api/orders`, {
      method: 'POST',
      dispatcher: agents[client % agents.length],
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        storeId: BRANCH_IDS[n % BRANCH_IDS.length],
        lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 + (n % 3) }],
      }),
      headersTimeout: 30_000,
    });
    const text = await response.body.text();
    if (response.statusCode !== 201) {
      const retryAfter = Number(response.headers['retry-after']);
      throw new PlacementRefused(
        `${response.statusCode} ${text.slice(0, 200)}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0,
      );
    }
    return (JSON.parse(text) as { orderId: string }).orderId;
  };
}

type Sidecars = ReadonlyArray<{ appId: string; metricsPort: number }>;

async function measuredRun(
  place: PlaceOne,
  watcher: ArrivalWatcher,
  publishedWatcher: ArrivalWatcher,
  sidecars: Sidecars,
): Promise<GatewayRun> {
  // Warm-up on its own, so the CPU window covers the counted orders only.
  await closedLoop(settings.clients, settings.warmup * 1000, 0, place, () => {});
  const accepted = new Map<string, number>();
  const opsBefore = await readSidecarOps(sidecars);
  const resources = watchResources(1_000);
  const result = await closedLoop(settings.clients, settings.seconds * 1000, 0, place, (orderId, at) => accepted.set(orderId, at));
  const costs = resources.stop();
  // Read once the events of the window's orders have travelled (the watchers below wait for them), or the last
  // orders' deliveries would fall outside it; the orders of a short drain after the window add a little.
  const propagation = await watcher.propagation(accepted);
  const published = await publishedWatcher.propagation(accepted);
  const sidecarOps = sidecars.length ? opsPerOrder(opsBefore, await readSidecarOps(sidecars), result.completed) : undefined;
  const cpuSeconds = cpuByGroup(costs, HARNESS);
  const cpuByProcess = Object.fromEntries(costs.filter((cost) => cost.name !== HARNESS).map((cost) => [cost.name, cost.cpuSeconds]));
  const stackCpu = PROCESS_GROUPS.reduce((sum, group) => sum + cpuSeconds[group], 0);
  return {
    ...result,
    propagation,
    published,
    cpuSeconds,
    cpuByProcess,
    cpuMsPerOrder: result.completed ? (stackCpu * 1000) / result.completed : Number.NaN,
    ...(sidecarOps ? { sidecarOps } : {}),
  };
}

function render(bySystem: Map<GatewaySystem, GatewayRun[]>): string {
  const s = (runs: GatewayRun[], pick: (r: GatewayRun) => number, digits = 0) => formatSpread(spread(runs.map(pick)), digits);
  const perOrder = (group: ProcessGroup) => (r: GatewayRun) => (r.completed ? (r.cpuSeconds[group] * 1000) / r.completed : Number.NaN);
  const rows = [...bySystem];
  const firstError = rows.flatMap(([, runs]) => runs).find((r) => r.firstError)?.firstError;
  return [
    `## Through the gateway, signed in: ${settings.clients} clients, ${settings.accounts} accounts, ${settings.addresses} source addresses, trace sampling ${settings.sampling} (${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB)`,
    '',
    `Median (min–max) of ${settings.runs} runs of ${settings.seconds} s, each after ${settings.warmup} s of warm-up; the systems one after the other, each with the other stopped.`,
    '',
    '| system | orders/s | p50 ms | p99 ms | errors | accepted → on the broker p50 / p99 ms | accepted → queued p50 / p99 ms | CPU ms per order |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ([system, runs]) =>
        `| ${SYSTEMS[system]} | ${s(runs, (r) => r.ordersPerSecond, 1)} | ${s(runs, (r) => r.p50)} | ${s(runs, (r) => r.p99)} | ${s(runs, (r) => r.errors)} | ${s(runs, (r) => r.published.p50)} / ${s(runs, (r) => r.published.p99)} | ${s(runs, (r) => r.propagation.p50)} / ${s(runs, (r) => r.propagation.p99)} | ${s(runs, (r) => r.cpuMsPerOrder, 1)} |`,
    ),
    ...overTwin(bySystem),
    '',
    '### Where the CPU goes (ms per order)',
    '',
    `| system | ${PROCESS_GROUPS.join(' | ')} | load generator (not counted) |`,
    `|---|${PROCESS_GROUPS.map(() => '---:').join('|')}|---:|`,
    ...rows.map(
      ([system, runs]) =>
        `| ${SYSTEMS[system]} | ${PROCESS_GROUPS.map((g) => s(runs, perOrder(g), 1)).join(' | ')} | ${s(runs, perOrder('harness'), 1)} |`,
    ),
    ...idleTable(),
    ...rows.flatMap(([system, runs]) => ['', ...byProcess(SYSTEMS[system], runs)]),
    ...sidecarOpsTable(bySystem.get('dapr') ?? []),
    ...(firstError ? ['', `First error: ${firstError}`] : []),
  ].join('\n');
}

/** CPU at rest: what every order pays for whether it comes or not (sweeps, polling, timers, probes). */
function idleTable(): string[] {
  if (!idle.size) return [];
  const total = (cost: Record<ProcessGroup, number>) => PROCESS_GROUPS.reduce((sum, group) => sum + cost[group], 0);
  return [
    '',
    `### At rest (CPU-ms per second over ${settings.idle} s, signed in and settled, before any load)`,
    '',
    `| system | all | ${PROCESS_GROUPS.join(' | ')} |`,
    `|---|---:|${PROCESS_GROUPS.map(() => '---:').join('|')}|`,
    ...[...idle].map(
      ([system, cost]) =>
        `| ${SYSTEMS[system]} | ${total(cost).toFixed(0)} | ${PROCESS_GROUPS.map((g) => cost[g].toFixed(0)).join(' | ')} |`,
    ),
  ];
}

function overTwin(bySystem: Map<GatewaySystem, GatewayRun[]>): string[] {
  const ratio = cpuOverTwin({ runs: bySystem.get('dapr') ?? [], twin: bySystem.get('twin') ?? [] });
  if (ratio === undefined) return [];
  // What the orders themselves cost: each run's CPU per order less its system's CPU at rest spread over its orders.
  const underLoad = (system: GatewaySystem) => {
    const rest = idle.get(system);
    const restMsPerSecond = rest ? PROCESS_GROUPS.reduce((sum, group) => sum + rest[group], 0) : 0;
    return (bySystem.get(system) ?? []).map((r) => ({ ...r, cpuMsPerOrder: r.cpuMsPerOrder - restMsPerSecond / r.ordersPerSecond }));
  };
  const loadOnly = cpuOverTwin({ runs: underLoad('dapr'), twin: underLoad('twin') });
  return [
    '',
    `Dapr spends **${ratio.toFixed(2)}×** the twin's CPU per order (medians); ${loadOnly?.toFixed(2)}× with each system's CPU at rest (below) taken out first.`,
  ];
}

/** The processes that cost the most per order (median over the runs), so a lever can be aimed at one. */
function byProcess(system: string, runs: GatewayRun[], top = 14): string[] {
  const names = Object.keys(runs[0]?.cpuByProcess ?? {});
  const perOrder = (name: string) =>
    spread(runs.map((r) => (r.completed ? ((r.cpuByProcess[name] ?? 0) * 1000) / r.completed : Number.NaN)));
  const ranked = names
    .map((name) => ({ name, cost: perOrder(name) }))
    .sort((a, b) => b.cost.median - a.cost.median)
    .slice(0, top);
  return [
    `### The costliest processes, ${system} (ms per order)`,
    '',
    '| process | CPU ms per order |',
    '|---|---:|',
    ...ranked.map(({ name, cost }) => `| ${name} | ${formatSpread(cost, 1)} |`),
  ];
}

/** What each sidecar did per order (median over the runs), as Dapr counts it: the cost model, measured. */
function sidecarOpsTable(runs: GatewayRun[]): string[] {
  const counted = runs.filter((r) => r.sidecarOps);
  if (!counted.length) return [];
  const ops = SIDECAR_OPS;
  const median = (pick: (r: GatewayRun) => number) => spread(counted.map(pick)).median.toFixed(1);
  const apps = Object.keys(counted[0]!.sidecarOps!);
  const total = (r: GatewayRun, op: keyof SidecarOps) => apps.reduce((sum, app) => sum + (r.sidecarOps![app]?.[op] ?? 0), 0);
  return [
    '',
    "### Sidecar operations per order (Dapr, from each sidecar's own metrics)",
    '',
    "The app's calls to its sidecar by API (health probes left out), the invocations its sidecar received from another, and the events it delivered to the app. Read when the window's orders have reached the kitchen, so a few events of the warm-up orders fall inside and a few of the last ones outside.",
    '',
    `| app | ${ops.join(' | ')} |`,
    `|---|${ops.map(() => '---:').join('|')}|`,
    ...apps.map((app) => `| ${app} | ${ops.map((op) => median((r) => r.sidecarOps![app]?.[op] ?? 0)).join(' | ')} |`),
    `| **all** | ${ops.map((op) => `**${median((r) => total(r, op))}**`).join(' | ')} |`,
    '',
    `All sidecar operations per order: **${median((r) => ops.reduce((sum, op) => sum + total(r, op), 0))}**.`,
  ];
}

/** Starts one system cold, signs the load accounts in, measures its runs and stops it again. */
/** What the stack spends at rest (signed in, settled, no load), by group, in CPU-ms per second. */
async function idleCost(): Promise<Record<ProcessGroup, number>> {
  const resources = watchResources(1_000);
  await new Promise((r) => setTimeout(r, settings.idle * 1000));
  const cpuSeconds = cpuByGroup(resources.stop(), HARNESS);
  return Object.fromEntries(PROCESS_GROUPS.map((group) => [group, (cpuSeconds[group] * 1000) / settings.idle])) as Record<
    ProcessGroup,
    number
  >;
}

async function measureSystem(system: GatewaySystem, origin: string, agents: Agent[]): Promise<GatewayRun[]> {
  log(`${SYSTEMS[system]}: starting`);
  const stack = await startStackProcess('cold', log, {
    LOAD_TEST_ACCOUNTS: String(settings.accounts),
    BURGER_TRACE_SAMPLING: String(settings.sampling),
    ...(system === 'twin' ? { BURGER_TWIN: '1' } : {}),
  });
  const watcher = new ArrivalWatcher(Topic.storeQueueEvents);
  const publishedWatcher = new ArrivalWatcher(Topic.orderEvents, 'OrderPlaced');
  const runs: GatewayRun[] = [];
  try {
    const password = loadOrCreateSecrets()['demo-password'];
    const tokens: string[] = [];
    for (let k = 1; k <= settings.accounts; k++)
      tokens.push((await signIn(`load-${String(k).padStart(3, '0')}`, password, origin)).access_token);
    log(`${tokens.length} accounts signed in; settling ${settings.settle} s`);
    await Promise.all([watcher.start(), publishedWatcher.start()]);
    await new Promise((r) => setTimeout(r, settings.settle * 1000));
    idle.set(system, await idleCost());
    const place = placeThroughGateway(origin, tokens, agents);
    // The twin has no sidecar to count.
    const sidecars = system === 'dapr' ? loadRunFile().map(({ appId, metricsPort }) => ({ appId, metricsPort })) : [];
    for (let run = 1; run <= settings.runs; run++) {
      const result = await measuredRun(place, watcher, publishedWatcher, sidecars);
      runs.push(result);
      log(
        `${system} run ${run}: ${result.completed} orders, ${result.ordersPerSecond.toFixed(1)}/s, p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError})` : ''}; on the broker p50 ${result.published.p50} p99 ${result.published.p99} ms, queued p50 ${result.propagation.p50} p99 ${result.propagation.p99} ms; ${result.cpuMsPerOrder.toFixed(1)} CPU ms/order`,
      );
    }
  } finally {
    await Promise.all([watcher.stop(), publishedWatcher.stop()]);
    await stack.stop();
  }
  return runs;
}

async function main(): Promise<void> {
  log(
    `${cpus().length} CPUs; ${settings.clients} clients over ${settings.addresses} addresses, ${settings.accounts} accounts; ${settings.runs} runs of ${settings.seconds} s; trace sampling ${settings.sampling}; systems ${systems.join(', ')}`,
  );
  const gateway = loadRunFile().find((app) => app.appId === 'gateway')!;
  const origin = `http://127.0.0.1:${gateway.appPort}`;
  const agents = agentsFor(settings.addresses);
  const bySystem = new Map<GatewaySystem, GatewayRun[]>();
  try {
    await checkSourceAddresses(agents);
    for (const system of systems) bySystem.set(system, await measureSystem(system, origin, agents));
  } finally {
    await Promise.all(agents.map((agent) => agent.close()));
  }
  const report: GatewayReport = {
    settings,
    idle: Object.fromEntries(idle),
    runs: bySystem.get('dapr') ?? [],
    ...(bySystem.has('twin') ? { twin: bySystem.get('twin')! } : {}),
  };
  publishResults('gateway', report, () => render(bySystem));
}

runBenchmark('bench:gateway', main);
