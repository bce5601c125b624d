import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR, type Toolchain } from './paths.js';
import { httpOk, waitUntil } from './readiness.js';
import { daprdArgs } from './cli-rules.js';
import type { AppSpec } from './run-file.js';
import type { AppTokens } from './secrets.js';
import type { Supervisor } from './supervisor.js';
import { twinMode, twinProcess } from './twin.js';

/**
 * Environment for the app process: the tokens (which `dapr run` users export, README "With the
 * Dapr CLI"), the variables the CLI sets (pkg/standalone/run.go `getEnv`), then the run file's env,
 * which wins as it does with the CLI.
 */
export function appEnv(app: AppSpec, tokens: AppTokens): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // This app-id's own pair (secrets.ts TOKENS_FILE): no other app's sidecar accepts it.
    DAPR_API_TOKEN: tokens['dapr-api-token'],
    APP_API_TOKEN: tokens['app-api-token'],
    APP_INSTANCE: app.instance,
    APP_ID: app.appId,
    APP_CHANNEL_ADDRESS: '127.0.0.1',
    APP_PORT: String(app.appPort),
    DAPR_HTTP_PORT: String(app.daprHttpPort),
    DAPR_GRPC_PORT: String(app.daprGrpcPort),
    DAPR_METRICS_PORT: String(app.metricsPort),
    APP_PROTOCOL: app.appProtocol,
    ...app.env,
  };
}

/**
 * One core per sidecar: a sidecar serves one app instance, and with ten Go runtimes each sized to every core of a
 * small machine, their schedulers spin and steal from one another (bench:gateway, README: sidecar CPU per order
 * fell by about a fifth on 2 cores). GOMAXPROCS overrides it. On Kubernetes Go sizes itself to the sidecar's CPU
 * limit (dapr.io/sidecar-cpu-limit) instead.
 */
export const sidecarCores = (): string => process.env.GOMAXPROCS ?? '1';

export function sidecarEnv(tokens: AppTokens, trustAnchors: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DAPR_TRUST_ANCHORS: trustAnchors,
    // daprd registers this address with the name resolver; loopback has no other.
    DAPR_HOST_IP: '127.0.0.1',
    DAPR_API_TOKEN: tokens['dapr-api-token'],
    APP_API_TOKEN: tokens['app-api-token'],
    GOMAXPROCS: sidecarCores(),
  };
}

/** What every sidecar needs from the control plane: the root it trusts, and the daprd version the CLI's flag rules look at. */
export interface ControlPlane {
  trustAnchors: string;
  daprdVersion: string;
}

export function startApp(
  supervisor: Supervisor,
  tools: Toolchain,
  app: AppSpec,
  tokens: AppTokens,
  controlPlane: ControlPlane,
  everyApp: AppSpec[] = [app],
): void {
  mkdirSync(join(RUN_DIR, 'dapr'), { recursive: true });
  // The direct twin (twin.ts): no sidecar; the app answers its own sidecar calls.
  const twin = twinMode() ? twinProcess(app, everyApp) : undefined;
  if (!twin)
    supervisor.start({
      name: `${app.instance}-daprd`,
      tier: 1,
      restartOnExit: true,
      command: app.daprdPath ?? tools.daprd,
      // The flags and the working directory `dapr run -f` gives it (cli-rules.ts): relative
      // paths in components and configurations resolve from the app's folder.
      // Plus one flag the CLI does not give: daprd's metrics listen on 0.0.0.0 by default
      // (dapr 1.18 pkg/metrics/options.go `defaultMetricsAddress`); ours on loopback only.
      args: [...daprdArgs(app, controlPlane.daprdVersion), '--metrics-listen-address', '127.0.0.1'],
      cwd: app.appDir,
      env: sidecarEnv(tokens, controlPlane.trustAnchors),
    });
  const [command, ...args] = (twin?.command ?? app.command) as [string, ...string[]];
  supervisor.start({
    name: app.instance,
    tier: 2,
    command,
    args,
    cwd: app.appDir,
    env: { ...appEnv(app, tokens), ...twin?.env },
    // Self-healing, as a kubelet would do it: crashed → started again; /healthz failing 3 times in a row → killed and started again.
    restartOnExit: true,
    liveness: { url: `http://127.0.0.1:${app.appPort}${app.appHealthCheckPath || '/healthz'}`, everyMs: 2_000, failureThreshold: 3 },
  });
}

/** Ready = the sidecar reports healthy (components loaded, app reachable) and the app says it can serve. */
export async function waitForApp(supervisor: Supervisor, app: AppSpec, tokens: AppTokens, timeoutMs = 60_000): Promise<void> {
  const processes = twinMode() ? [app.instance] : [app.instance, `${app.instance}-daprd`];
  const died = () => processes.filter((name) => !supervisor.isRunning(name)).map((name) => `${name} exited (see .run/logs/${name}.log)`)[0];
  if (!twinMode())
    await waitUntil(`${app.instance} sidecar`, () => httpOk(`http://127.0.0.1:${app.daprHttpPort}/v1.0/healthz`), timeoutMs, 100, died);
  await waitUntil(
    `${app.instance} readiness`,
    () => httpOk(`http://127.0.0.1:${app.appPort}/readyz`, { 'dapr-api-token': tokens['app-api-token'] }),
    timeoutMs,
    100,
    died,
  );
}
