import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, RUN_DIR, type Toolchain } from './paths.js';
import { httpOk, waitUntil } from './readiness.js';
import type { AppSpec } from './run-file.js';
import type { LocalSecrets } from './secrets.js';
import type { Supervisor } from './supervisor.js';

/** daprd flags for one app, the same ones `dapr run -f` derives from dapr.yaml. */
export function daprdArgs(app: AppSpec, sentryAddress: string): string[] {
  return [
    '--app-id', app.appId,
    '--app-port', String(app.appPort),
    '--app-protocol', 'http',
    '--app-channel-address', '127.0.0.1',
    '--dapr-http-port', String(app.daprHttpPort),
    '--dapr-grpc-port', String(app.daprGrpcPort),
    '--dapr-internal-grpc-port', String(app.daprInternalGrpcPort),
    '--dapr-listen-addresses', '127.0.0.1',
    '--metrics-port', String(app.metricsPort),
    '--config', app.configFile,
    ...app.resourcesPaths.flatMap((path) => ['--resources-path', path]),
    '--enable-app-health-check',
    '--app-health-check-path', app.appHealthCheckPath,
    '--app-health-probe-interval', String(app.appHealth.intervalSeconds),
    '--app-health-probe-timeout', String(app.appHealth.timeoutMs),
    '--app-health-threshold', String(app.appHealth.threshold),
    '--log-level', app.logLevel,
    '--log-as-json',
    // mTLS through sentry: the callee learns the caller's app-id, which access control needs.
    '--enable-mtls',
    '--sentry-address', sentryAddress,
    // No placement or scheduler: this system uses neither actors nor jobs, and
    // an unreachable address would keep /v1.0/healthz at 500 forever.
  ];
}

/** Environment for the app process: the variables the dapr CLI sets, plus the run file's env. */
export function appEnv(app: AppSpec, secrets: LocalSecrets): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...app.env,
    APP_ID: app.appId,
    APP_INSTANCE: app.instance,
    APP_PORT: String(app.appPort),
    APP_PROTOCOL: 'http',
    DAPR_HTTP_PORT: String(app.daprHttpPort),
    DAPR_GRPC_PORT: String(app.daprGrpcPort),
    DAPR_METRICS_PORT: String(app.metricsPort),
    DAPR_API_TOKEN: secrets['dapr-api-token'],
    APP_API_TOKEN: secrets['app-api-token'],
  };
}

export function sidecarEnv(secrets: LocalSecrets, trustAnchors: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DAPR_TRUST_ANCHORS: trustAnchors,
    // daprd registers this address with the name resolver; loopback has no other.
    DAPR_HOST_IP: '127.0.0.1',
    DAPR_API_TOKEN: secrets['dapr-api-token'],
    APP_API_TOKEN: secrets['app-api-token'],
  };
}

/** What every sidecar needs from the control plane. */
export interface ControlPlane {
  sentryAddress: string;
  trustAnchors: string;
}

export function startApp(supervisor: Supervisor, tools: Toolchain, app: AppSpec, secrets: LocalSecrets, controlPlane: ControlPlane): void {
  mkdirSync(join(RUN_DIR, 'dapr'), { recursive: true });
  supervisor.start({
    name: `${app.instance}-daprd`,
    tier: 1,
    restartOnExit: true,
    command: tools.daprd,
    args: daprdArgs(app, controlPlane.sentryAddress),
    cwd: ROOT,
    env: sidecarEnv(secrets, controlPlane.trustAnchors),
  });
  const [command, ...args] = app.command as [string, ...string[]];
  supervisor.start({
    name: app.instance,
    tier: 2,
    command,
    args,
    cwd: app.appDir,
    env: appEnv(app, secrets),
    // Self-healing, as a kubelet would do it: crashed → started again; /healthz failing 3 times in a row → killed and started again.
    restartOnExit: true,
    liveness: { url: `http://127.0.0.1:${app.appPort}${app.appHealthCheckPath}`, everyMs: 2_000, failureThreshold: 3 },
  });
}

/** Ready = the sidecar reports healthy (components loaded, app reachable) and the app says it can serve. */
export async function waitForApp(supervisor: Supervisor, app: AppSpec, secrets: LocalSecrets, timeoutMs = 60_000): Promise<void> {
  const died = () =>
    [app.instance, `${app.instance}-daprd`].filter((name) => !supervisor.isRunning(name)).map((name) => `${name} exited (see .run/logs/${name}.log)`)[0];
  await waitUntil(`${app.instance} sidecar`, () => httpOk(`http://127.0.0.1:${app.daprHttpPort}/v1.0/healthz`), timeoutMs, 100, died);
  await waitUntil(`${app.instance} readiness`, () => httpOk(`http://127.0.0.1:${app.appPort}/readyz`, { 'dapr-api-token': secrets['app-api-token'] }), timeoutMs, 100, died);
}
