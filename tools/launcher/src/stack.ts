import { loadToolchain, type Toolchain } from './paths.js';
import { loadRunFile, withReplicas, type AppSpec } from './run-file.js';
import { brokerName, brokerResourcesPath } from './broker.js';
import { ROOT } from './paths.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateAppCredentials, loadOrCreateSecrets, loadOrCreateTokens, tokensOf, type LocalSecrets } from './secrets.js';
import { brokerGrants } from './broker-access.js';
import { claimLauncherLock, reapOrphans, Supervisor } from './supervisor.js';
import { startApp, waitForApp, type ControlPlane } from './apps.js';
import { ensureKafka } from './infra/kafka.js';
import { ensureKakaoSink } from './infra/kakao-sink.js';
import { ensurePostgres } from './infra/postgres.js';
import { ensureRedis } from './infra/redis.js';
import { ensureScheduler } from './infra/scheduler.js';
import { ensureSentry } from './infra/sentry.js';
import { CLI_SCHEDULER_PORT, schedulerAddress } from './cli-rules.js';
import { execFileSync } from 'node:child_process';
import { ensureTraceSink } from './infra/trace-sink.js';
import { isPortOpen } from './readiness.js';
import { NAME_RESOLUTION_DB } from './endpoints.js';
import { withTraceSampling } from './trace-sampling.js';
import type { Stack, StackOptions } from './types.js';
import { twinMode, twinTokens } from './twin.js';

/** BURGER_STACK_ONLY / BURGER_STACK_WITHOUT (comma-separated app-ids): a partial stack, for tests and benchmarks. */
export function stackOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<StackOptions, 'only' | 'without'> {
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
  const only = list(env.BURGER_STACK_ONLY);
  const without = list(env.BURGER_STACK_WITHOUT);
  return { ...(only?.length ? { only } : {}), ...(without?.length ? { without } : {}) };
}

/** Infra, then every app beside its sidecar, each waited for until ready. The local equivalent of `dapr run -f .`. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const progress = options.progress ?? (() => {});
  const releaseLock = claimLauncherLock();
  const reaped = await reapOrphans();
  if (reaped.length) progress(`cleaned up processes left by an earlier run: ${reaped.join(', ')}`);
  // No sidecar of ours is running now (we hold the lock, orphans are reaped): start name resolution afresh.
  rmSync(NAME_RESOLUTION_DB, { force: true });
  const tools = loadToolchain();
  const secrets = loadOrCreateSecrets();
  const supervisor = new Supervisor(
    (name, code) => progress(`!! ${name} exited unexpectedly (code ${code}); see .run/logs/${name}.log`),
    (name, why) => progress(`self-healing ${name}: ${why}`),
  );
  const components = brokerResourcesPath();
  if (brokerName() !== 'kafka') progress(`broker: ${brokerName()} (components from ${components})`);
  const apps = withReplicas(loadRunFile())
    .filter((app) => (!options.only || options.only.includes(app.appId)) && !options.without?.includes(app.appId))
    .map((app) => ({
      ...app,
      resourcesPaths: app.resourcesPaths.map((path) => (path === join(ROOT, 'components') ? components : path)),
      configFile: withTraceSampling(app.configFile),
    }));
  if (process.env.BURGER_TRACE_SAMPLING) progress(`trace sampling: ${process.env.BURGER_TRACE_SAMPLING} (BURGER_TRACE_SAMPLING)`);
  const ownTokens = loadOrCreateTokens(loadRunFile().map((app) => app.appId));
  const tokens = twinMode() ? twinTokens(ownTokens) : ownTokens;
  if (twinMode()) progress('the direct twin (BURGER_TWIN=1): no sidecars; each app answers its sidecar calls with drivers in-process');
  const stop = async () => {
    await supervisor.stopAll();
    releaseLock();
  };
  try {
    await refuseTakenPorts(apps);
    const controlPlane = await timed(progress, `infrastructure (${INFRASTRUCTURE})`, () =>
      startInfrastructure(supervisor, tools, secrets, apps),
    );
    if (options.infraOnly) return { apps, secrets, tokens, tools, supervisor, controlPlane, stop };
    for (const app of apps) startApp(supervisor, tools, app, tokensOf(tokens, app), controlPlane, apps);
    await timed(progress, `apps and sidecars (${apps.map((a) => a.instance).join(', ')})`, async () => {
      await Promise.all(apps.map((app) => waitForApp(supervisor, app, tokensOf(tokens, app))));
      return 'ready';
    });
    return { apps, secrets, tokens, tools, supervisor, controlPlane, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Our own leftovers were reaped above, so an app or sidecar port that answers now belongs to
 * someone else (often a stack started from another checkout). Starting anyway would let that
 * stranger answer our readiness probes; stop with the ports named instead.
 */
async function refuseTakenPorts(apps: AppSpec[]): Promise<void> {
  const ports = apps.flatMap(
    (app) =>
      [
        [app.appPort, `${app.instance} app`],
        [app.daprHttpPort, `${app.instance} sidecar`],
      ] as const,
  );
  const taken = (await Promise.all(ports.map(async ([port, what]) => ((await isPortOpen(port)) ? `${port} (${what})` : undefined)))).filter(
    Boolean,
  );
  if (taken.length > 0) {
    throw new Error(
      `ports already in use by another process: ${taken.join(', ')}. Another stack (from another folder?) is running; stop it first (ss -ltnp shows who).`,
    );
  }
}

export const INFRASTRUCTURE = 'PostgreSQL, Redis, Kafka, Dapr sentry and scheduler, KakaoTalk sink, trace sink';

/** What `daprd --version` prints: the CLI decides the scheduler flag by it (cli-rules.ts), so the launcher does too. */
export function daprdVersion(daprd: string): string {
  return execFileSync(daprd, ['--version'], { encoding: 'utf8' }).trim();
}

/** Everything the sidecars lean on; the scheduler only if the CLI's rules point some sidecar at it. */
export async function startInfrastructure(
  supervisor: Supervisor,
  tools: Toolchain,
  secrets: LocalSecrets,
  apps: AppSpec[],
): Promise<ControlPlane> {
  const version = daprdVersion(tools.daprd);
  // Every app-id of the run file gets its own logins and grants, started now or not (a partial stack
  // or `dapr run -f` may start it later): the broker and Redis know each app by its own name.
  const everyApp = loadRunFile();
  const logins = { secrets, users: loadOrCreateAppCredentials(everyApp.map((app) => app.appId)), grants: brokerGrants(everyApp) };
  const needsScheduler = apps.some((app) => schedulerAddress(version, app.schedulerHostAddress) === `localhost:${CLI_SCHEDULER_PORT}`);
  const [, , , sentry] = await Promise.all([
    ensurePostgres(supervisor, tools, secrets),
    ensureRedis(supervisor, tools, logins),
    // Kafka only when it is the broker: a swapped-in broker must not quietly lean on it.
    brokerName() === 'kafka' ? ensureKafka(supervisor, tools, logins) : Promise.resolve('not needed'),
    // The direct twin has no sidecars to certify.
    twinMode() ? Promise.resolve({ trustAnchors: '' }) : ensureSentry(supervisor, tools),
    ensureKakaoSink(supervisor),
    ensureTraceSink(supervisor),
  ]);
  // After sentry: the scheduler gets its mTLS identity from it.
  if (needsScheduler && !twinMode()) await ensureScheduler(supervisor, tools);
  return { trustAnchors: sentry.trustAnchors, daprdVersion: version };
}

async function timed<T>(progress: (line: string) => void, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  progress(`… ${what}`);
  const result = await work();
  progress(`✓ ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
