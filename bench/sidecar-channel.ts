import { SidecarHttp } from '@burger/service-kit';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { sidecarCores } from '../tools/launcher/src/apps.js';
import { loadToolchain, ROOT } from '../tools/launcher/src/paths.js';
import { publishResults, runBenchmark } from './results-file.js';
import { formatSpread, type Spread, spread } from './stats.js';

/**
 * `npm run bench:channel` (issue 18's lever "HTTP versus gRPC between app and sidecar; measure CPU, not only
 * latency"): the same state calls through a sidecar over four channels:
 * - `http`: HTTP on loopback TCP with the apps' own client (service-kit's SidecarHttp: undici, keep-alive);
 * - `http-raw`: the same on a bare undici pool, so the difference is SidecarHttp's own cost;
 * - `http-uds`: the bare pool on a Unix domain socket (daprd's `--unix-domain-socket`; undici's `socketPath`);
 * - `grpc`: gRPC on loopback TCP with @grpc/grpc-js, the client @dapr/dapr's gRPC transport uses.
 * Each pair is a save and a get of a small JSON document, the shape of most of an order's calls. The sidecars are
 * the stack's daprd, started here on an in-memory store with an API token and one core each (as the launcher
 * starts them), so the figures are the channel's and the sidecar's own, not a database's. Every round runs each
 * channel once, starting at another one each time; each gives the client's CPU (this process) and the sidecar's,
 * per pair. Defaults: `--pairs 5000 --clients 8 --rounds 3`.
 */
const DEFAULTS = { pairs: 5_000, clients: 8, rounds: 3 };
const { values } = parseArgs({ options: Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, { type: 'string' as const }])) });
const settings = Object.fromEntries(
  Object.entries(DEFAULTS).map(([name, fallback]) => [name, Number(values[name] ?? fallback)]),
) as typeof DEFAULTS;
const log = (line: string) => console.error(`[bench:channel] ${line}`);

const STORE = 'channelstore';
const PORTS = { tcp: 3690, uds: 3694 }; // http, grpc, internal grpc and metrics from each
const DOCUMENT = JSON.stringify({ status: 'sending', orderId: crypto.randomUUID(), text: 'Your order is in the kitchen now. '.repeat(3) });
const TOKEN = randomBytes(16).toString('hex');
const CHANNELS = ['http', 'http-raw', 'http-uds', 'grpc'] as const;
type Channel = (typeof CHANNELS)[number];
type SaveAndGet = (key: string) => Promise<void>;

function httpPair(http: { request: SidecarHttp['request'] }): SaveAndGet {
  return async (key) => {
    const saved = await http.request('POST', `/v1.0/state/${STORE}`, { body: `[{"key":"${key}","value":${DOCUMENT}}]`, timeoutMs: 10_000 });
    if (saved.status >= 300) throw new Error(`save: HTTP ${saved.status}`);
    JSON.parse((await http.request('GET', `/v1.0/state/${STORE}/${key}`, { timeoutMs: 10_000 })).text);
  };
}

/** A bare undici pool with the headers SidecarHttp sends, to `url` or to daprd's Unix socket. */
function overBarePool(to: { url: string } | { socketPath: string }): SaveAndGet {
  const pool =
    'url' in to
      ? new Pool(to.url, { connections: 64, keepAliveTimeout: 60_000 })
      : new Pool('http://localhost', { socketPath: to.socketPath, connections: 64, keepAliveTimeout: 60_000 });
  return httpPair({
    request: async (method, path, options) => {
      const type: Record<string, string> = options.body !== undefined ? { 'content-type': 'application/json' } : {};
      const answer = await pool.request({ method, path, headers: { 'dapr-api-token': TOKEN, ...type }, body: options.body });
      return { status: answer.statusCode, text: await answer.body.text(), headers: new Headers() };
    },
  });
}

/** The one service of Dapr's runtime API used here, as @grpc/proto-loader builds it (the .proto is read at run time). */
type DaprPackage = { dapr: { proto: { runtime: { v1: { Dapr: grpc.ServiceClientConstructor } } } } };

function overGrpc(port: number): SaveAndGet {
  // Dapr's own protos, from the module the daprd build pins (tools/daprd/go.mod): the API of the sidecar measured.
  const daprModule = execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/dapr/dapr'], { cwd: join(ROOT, 'tools', 'daprd') })
    .toString()
    .trim();
  const definition = loadSync('dapr/proto/runtime/v1/dapr.proto', { includeDirs: [daprModule], keepCase: true, longs: String });
  const Dapr = (grpc.loadPackageDefinition(definition) as unknown as DaprPackage).dapr.proto.runtime.v1.Dapr;
  const client = new Dapr(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('dapr-api-token', TOKEN);
  const call = <T>(method: 'SaveState' | 'GetState', request: object) =>
    new Promise<T>((resolve, reject) =>
      client[method]!(request, metadata, (error: Error | null, answer: T) => (error ? reject(error) : resolve(answer))),
    );
  const value = Buffer.from(DOCUMENT);
  return async (key) => {
    await call('SaveState', { store_name: STORE, states: [{ key, value }] });
    JSON.parse((await call<{ data: Buffer }>('GetState', { store_name: STORE, key })).data.toString());
  };
}

/** A daprd as the launcher starts one (one core, API token), on an in-memory store; `socketDir` puts its API on a Unix socket. */
function startSidecar(appId: string, port: number, resources: string, socketDir?: string): ChildProcess {
  const flags = ['--app-id', appId, '--dapr-http-port', port, '--dapr-grpc-port', port + 1, '--dapr-internal-grpc-port', port + 2];
  const more = ['--metrics-port', port + 3, '--resources-path', resources, '--dapr-listen-addresses', '127.0.0.1', '--log-level', 'warn'];
  const socket = socketDir ? ['--unix-domain-socket', socketDir] : [];
  return spawn(loadToolchain().daprd, [...flags, ...more, ...socket].map(String), {
    stdio: 'ignore',
    env: { ...process.env, DAPR_API_TOKEN: TOKEN, GOMAXPROCS: sidecarCores() },
  });
}

async function until(ready: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; !(await ready().catch(() => false)); ) {
    if (Date.now() > deadline) throw new Error(`${what} not ready after 30 s`);
    await new Promise((resume) => setTimeout(resume, 200));
  }
}

const cpuMs = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // ticks of 10 ms (USER_HZ)
};

interface Round {
  channel: Channel;
  pairsPerSecond: number;
  clientMsPerPair: number;
  sidecarMsPerPair: number;
}

async function round(channel: Channel, saveAndGet: SaveAndGet, sidecarPid: number): Promise<Round> {
  const key = (n: number) => `${channel}-${n % 500}`;
  for (let n = 0; n < 300; n++) await saveAndGet(key(n)); // connections open, code warm
  const [client, sidecar, started] = [process.cpuUsage(), cpuMs(sidecarPid), performance.now()];
  let next = 0;
  await Promise.all(
    Array.from({ length: settings.clients }, async () => {
      while (next < settings.pairs) await saveAndGet(key(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(client);
  return {
    channel,
    pairsPerSecond: settings.pairs / seconds,
    clientMsPerPair: (used.user + used.system) / 1000 / settings.pairs,
    sidecarMsPerPair: (cpuMs(sidecarPid) - sidecar) / settings.pairs,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-channel-'));
  const [resources, sockets] = [join(dir, 'components'), join(dir, 'sockets')];
  mkdirSync(resources);
  mkdirSync(sockets);
  const component = `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${STORE}\nspec:\n  type: state.in-memory\n  version: v1\n`;
  writeFileSync(join(resources, `${STORE}.yaml`), component);
  const tcp = startSidecar('channel-tcp', PORTS.tcp, resources);
  const uds = startSidecar('channel-uds', PORTS.uds, resources, sockets);
  const rounds: Round[] = [];
  try {
    const socketPath = join(sockets, 'dapr-channel-uds-http.socket');
    const channels: Record<Channel, { pair: SaveAndGet; pid: number }> = {
      http: { pair: httpPair(new SidecarHttp({ baseUrl: `http://127.0.0.1:${PORTS.tcp}`, apiToken: TOKEN })), pid: tcp.pid! },
      'http-raw': { pair: overBarePool({ url: `http://127.0.0.1:${PORTS.tcp}` }), pid: tcp.pid! },
      'http-uds': { pair: overBarePool({ socketPath }), pid: uds.pid! },
      grpc: { pair: overGrpc(PORTS.tcp + 1), pid: tcp.pid! },
    };
    await until(async () => existsSync(socketPath), 'the sidecar on a Unix socket');
    for (const channel of CHANNELS) await until(() => channels[channel].pair('ready').then(() => true), `the ${channel} channel`);
    for (let n = 0; n < settings.rounds; n++) {
      // Each round starts at another channel, so that none always follows the same one.
      for (const channel of [...CHANNELS.slice(n % CHANNELS.length), ...CHANNELS.slice(0, n % CHANNELS.length)]) {
        rounds.push(await round(channel, channels[channel].pair, channels[channel].pid));
        log(JSON.stringify(rounds.at(-1)));
      }
    }
  } finally {
    tcp.kill('SIGTERM');
    uds.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  report(rounds);
}

function report(rounds: Round[]): void {
  const summary = (channel: Channel) => {
    const of = (pick: (r: Round) => number): Spread => spread(rounds.filter((r) => r.channel === channel).map(pick));
    return { pairsPerSecond: of((r) => r.pairsPerSecond), client: of((r) => r.clientMsPerPair), sidecar: of((r) => r.sidecarMsPerPair) };
  };
  const bySummary = Object.fromEntries(CHANNELS.map((channel) => [channel, summary(channel)])) as Record<
    Channel,
    ReturnType<typeof summary>
  >;
  publishResults('channel', { settings, rounds, ...bySummary }, () =>
    [
      `App → sidecar channel: ${settings.pairs} state save + get pairs, ${settings.clients} at once, ${settings.rounds} rounds each (median, min–max)`,
      '',
      '| channel | pairs/s | client CPU ms per pair | sidecar CPU ms per pair |',
      '|---|---:|---:|---:|',
      ...CHANNELS.map((channel) => {
        const s = bySummary[channel];
        return `| ${channel} | ${formatSpread(s.pairsPerSecond)} | ${formatSpread(s.client, 3)} | ${formatSpread(s.sidecar, 3)} |`;
      }),
    ].join('\n'),
  );
}

runBenchmark('bench:channel', main);
