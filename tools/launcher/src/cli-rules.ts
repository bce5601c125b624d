import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AppSpec } from './run-file.js';

/**
 * How `dapr run -f` (dapr/cli 1.18.0) turns one app of the run file into daprd's
 * command line, so the launcher starts the very same sidecar. Each rule names the
 * CLI function it copies; tools/launcher/test/cli-rules.test.ts pins them.
 */

/** pkg/standalone/run.go `sentryDefaultAddress`: where the CLI's sidecars look for sentry. */
export const CLI_SENTRY_ADDRESS = 'localhost:50001';
/** cmd/run.go `validateSchedulerHostAddress` + pkg/standalone/run.go `validateSchedulerHostAddr` (Linux port). */
export const CLI_SCHEDULER_PORT = 50006;
/** pkg/standalone/run.go `validatePlacementHostAddr` (Linux port). */
const CLI_PLACEMENT_PORT = 50005;

/** pkg/standalone/run.go `mtlsEndpoint`: sentry's address iff the app's Configuration has `spec.mtls.enabled: true`. */
export function mtlsEndpoint(configFile: string, read: (file: string) => string = (file) => readFileSync(file, 'utf8')): string {
  try {
    const doc = parse(read(configFile)) as { spec?: { mtls?: { enabled?: unknown } } } | null;
    return doc?.spec?.mtls?.enabled === true ? CLI_SENTRY_ADDRESS : '';
  } catch {
    return ''; // the CLI ignores an unreadable or unparsable file here
  }
}

/** nil → localhost:50005; "" → off; a host without a port gets the default port. */
export function placementAddress(given: string | undefined): string {
  if (given === undefined) return `localhost:${CLI_PLACEMENT_PORT}`;
  const address = given.trim();
  return address === '' || address.includes(':') ? address : `${address}:${CLI_PLACEMENT_PORT}`;
}

/**
 * For a daprd newer than 1.15.0-rc.0 an absent or empty address becomes
 * `localhost` (so "" cannot switch the scheduler off); then a port is added.
 * undefined means "no flag at all" (an older daprd and nothing given).
 */
export function schedulerAddress(daprdVersion: string, given: string | undefined): string | undefined {
  let address = given;
  if (semverCompare(`v${daprdVersion}`, 'v1.15.0-rc.0') === 1 && (address ?? '') === '') address = 'localhost';
  if (address === undefined) return undefined;
  address = address.trim();
  return address === '' || address.includes(':') ? address : `${address}:${CLI_SCHEDULER_PORT}`;
}

/** Defaults the CLI fills in from its struct tags (`default:"…"`) before building the arguments. */
const CLI_DEFAULTS = { maxConcurrency: -1, profilePort: -1, maxBodySize: '4Mi', readBufferSize: '4Ki' } as const;

/**
 * pkg/standalone/run.go `getArgs` (getArgsFromSchema walks RunConfig's fields in
 * declaration order: SharedRunConfig first, then the app's own), for the fields the
 * run file can set here. `--log-as-json` is what `dapr run --log-as-json -f .` adds.
 */
export function daprdArgs(app: AppSpec, daprdVersion: string, readConfig?: (file: string) => string): string[] {
  const flag = (name: string, value: string | number | undefined) =>
    value === undefined || value === '' ? [] : [`--${name}`, String(value)];
  const ifNot0 = (name: string, value: number) => (value === 0 ? [] : flag(name, value));
  const sentry = mtlsEndpoint(app.configFile, readConfig);
  return [
    ...flag('config', app.configFile),
    ...flag('app-protocol', app.appProtocol),
    ...flag('dapr-listen-addresses', app.apiListenAddresses),
    ...flag('log-level', app.logLevel),
    ...flag('app-max-concurrency', CLI_DEFAULTS.maxConcurrency),
    ...flag('placement-host-address', placementAddress(app.placementHostAddress)),
    ...app.resourcesPaths.flatMap((path) => flag('resources-path', path)),
    ...flag('max-body-size', CLI_DEFAULTS.maxBodySize),
    ...flag('read-buffer-size', CLI_DEFAULTS.readBufferSize),
    ...(app.enableAppHealthCheck ? ['--enable-app-health-check'] : []),
    ...flag('app-health-check-path', app.appHealthCheckPath),
    ...ifNot0('app-health-probe-interval', app.appHealth.intervalSeconds),
    ...ifNot0('app-health-probe-timeout', app.appHealth.timeoutMs),
    ...ifNot0('app-health-threshold', app.appHealth.threshold),
    ...flag('scheduler-host-address', schedulerAddress(daprdVersion, app.schedulerHostAddress)),
    ...flag('app-id', app.appId),
    ...flag('app-port', app.appPort),
    ...flag('dapr-http-port', app.daprHttpPort),
    ...flag('dapr-grpc-port', app.daprGrpcPort),
    ...flag('profile-port', CLI_DEFAULTS.profilePort),
    ...flag('metrics-port', app.metricsPort),
    ...flag('dapr-internal-grpc-port', app.daprInternalGrpcPort),
    ...(sentry ? ['--enable-mtls', '--sentry-address', sentry] : []),
    '--log-as-json',
  ];
}

/** golang.org/x/mod/semver.Compare, which the CLI uses: an invalid version (e.g. `edge`) sorts below every valid one. */
export function semverCompare(a: string, b: string): -1 | 0 | 1 {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return pa === pb ? 0 : pa ? 1 : -1;
  for (let i = 0; i < 3; i++) if (pa.core[i] !== pb.core[i]) return pa.core[i]! < pb.core[i]! ? -1 : 1;
  if (pa.pre.length === 0 || pb.pre.length === 0) return pa.pre.length === pb.pre.length ? 0 : pa.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(pa.pre.length, pb.pre.length); i++) {
    const [x, y] = [pa.pre[i], pb.pre[i]];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function parseSemver(version: string): { core: number[]; pre: string[] } | undefined {
  const match = /^v(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!match) return undefined;
  return { core: [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)], pre: match[4]?.split('.') ?? [] };
}
