import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROOT } from './paths.js';

/**
 * The subset of Dapr's multi-app run template (dapr CLI `pkg/runfileconfig`)
 * this launcher honours. Field names are the CLI's; unknown fields are
 * rejected so a typo cannot be silently ignored.
 */
const Shared = z.object({
  resourcesPaths: z.array(z.string()).optional(),
  configFilePath: z.string().optional(),
  placementHostAddress: z.string().optional(),
  schedulerHostAddress: z.string().optional(),
  appProtocol: z.enum(['http']).optional(),
  appHealthCheckPath: z.string().optional(),
  enableAppHealthCheck: z.boolean().optional(),
  appHealthProbeInterval: z.number().int().positive().optional(),
  appHealthProbeTimeout: z.number().int().positive().optional(),
  appHealthThreshold: z.number().int().positive().optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  env: z.record(z.string(), z.string()).optional(),
  runtimePath: z.string().optional(),
});

const App = Shared.extend({
  appID: z.string().regex(/^[a-z][a-z0-9-]*$/),
  appDirPath: z.string(),
  appPort: z.number().int().positive(),
  daprHTTPPort: z.number().int().positive(),
  daprGRPCPort: z.number().int().positive(),
  /** Fixed, so each sidecar's address in the name resolver is its own and stays the same across restarts. */
  daprInternalGRPCPort: z.number().int().positive(),
  metricsPort: z.number().int().positive(),
  command: z.array(z.string()).min(1),
}).strict();

export const RunFile = z
  .object({ version: z.literal(1), name: z.string().optional(), common: Shared.strict().default({}), apps: z.array(App).min(1) })
  .strict();

/** One app as the launcher runs it: common fields merged in, paths absolute. */
export interface AppSpec {
  appId: string;
  /** Process name: the app-id, or `<app-id>-<n>` for the n-th replica (n ≥ 2). */
  instance: string;
  appDir: string;
  appPort: number;
  daprHttpPort: number;
  daprGrpcPort: number;
  daprInternalGrpcPort: number;
  metricsPort: number;
  command: string[];
  resourcesPaths: string[];
  configFile: string;
  appHealthCheckPath: string;
  /** Sidecar's app health probe: seconds between probes, ms per probe, failures before "unhealthy". */
  appHealth: { intervalSeconds: number; timeoutMs: number; threshold: number };
  logLevel: string;
  env: Record<string, string>;
}

export function loadRunFile(file = resolve(ROOT, 'dapr.yaml')): AppSpec[] {
  const runFile = RunFile.parse(parse(readFileSync(file, 'utf8')));
  const common = runFile.common;
  return runFile.apps.map((app) => {
    const configFile = app.configFilePath ?? common.configFilePath;
    if (!configFile) throw new Error(`dapr.yaml: app ${app.appID} has no configFilePath`);
    return {
      appId: app.appID,
      instance: app.appID,
      appDir: resolve(ROOT, app.appDirPath),
      appPort: app.appPort,
      daprHttpPort: app.daprHTTPPort,
      daprGrpcPort: app.daprGRPCPort,
      daprInternalGrpcPort: app.daprInternalGRPCPort,
      metricsPort: app.metricsPort,
      command: app.command,
      resourcesPaths: (app.resourcesPaths ?? common.resourcesPaths ?? []).map((p) => resolve(ROOT, p)),
      configFile: resolve(ROOT, configFile),
      appHealthCheckPath: app.appHealthCheckPath ?? common.appHealthCheckPath ?? '/healthz',
      appHealth: {
        intervalSeconds: app.appHealthProbeInterval ?? common.appHealthProbeInterval ?? 5,
        timeoutMs: app.appHealthProbeTimeout ?? common.appHealthProbeTimeout ?? 500,
        threshold: app.appHealthThreshold ?? common.appHealthThreshold ?? 3,
      },
      logLevel: app.logLevel ?? common.logLevel ?? 'info',
      env: { ...common.env, ...app.env },
    };
  });
}

/** Ports of replica n are the first replica's plus 100·(n−1): predictable, and clear of the other apps' ports. */
const REPLICA_PORT_STEP = 100;

/**
 * Extra replicas of some apps (same app-id, own sidecar, own ports), e.g.
 * BURGER_REPLICAS="store=2,notification=2": Kafka's consumer group splits the
 * partitions between them and name resolution spreads invocations over them.
 */
export function withReplicas(apps: AppSpec[], spec = process.env.BURGER_REPLICAS ?? ''): AppSpec[] {
  const counts = new Map(
    spec.split(',').filter(Boolean).map((entry) => {
      const [appId, count] = entry.split('=');
      return [appId!.trim(), Number(count)] as const;
    }),
  );
  return apps.flatMap((app) =>
    Array.from({ length: Math.max(1, counts.get(app.appId) ?? 1) }, (_, i) => {
      if (i === 0) return app;
      const offset = i * REPLICA_PORT_STEP;
      return {
        ...app,
        instance: `${app.appId}-${i + 1}`,
        appPort: app.appPort + offset,
        daprHttpPort: app.daprHttpPort + offset,
        daprGrpcPort: app.daprGrpcPort + offset,
        daprInternalGrpcPort: app.daprInternalGrpcPort + offset,
        metricsPort: app.metricsPort + offset,
        // An app's own extra listeners (e.g. order's gRPC port) move along with its other ports.
        env: Object.fromEntries(Object.entries(app.env).map(([name, value]) => [name, name.endsWith('_PORT') ? String(Number(value) + offset) : value])),
      };
    }),
  );
}
