import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
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
  apiListenAddresses: z.string().optional(),
  appProtocol: z.enum(['http']).optional(),
  appHealthCheckPath: z.string().optional(),
  enableAppHealthCheck: z.boolean().optional(),
  appHealthProbeInterval: z.number().int().nonnegative().optional(),
  appHealthProbeTimeout: z.number().int().nonnegative().optional(),
  appHealthThreshold: z.number().int().nonnegative().optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  env: z.record(z.string(), z.string()).optional(),
  runtimePath: z.string().optional(),
});

const App = Shared.extend({
  /** Defaults to the folder name of appDirPath, as in the CLI (`setAppIDIfEmpty`). */
  appID: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .optional(),
  appDirPath: z.string().min(1),
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
export type RunFileDoc = z.infer<typeof RunFile>;

/** One app as the launcher runs it: common fields merged in, paths absolute. */
export interface AppSpec {
  appId: string;
  /** Process name: the app-id, or `<app-id>-<n>` for the n-th replica (n ≥ 2). */
  instance: string;
  /** Also daprd's working directory, as with the CLI. */
  appDir: string;
  appPort: number;
  daprHttpPort: number;
  daprGrpcPort: number;
  daprInternalGrpcPort: number;
  metricsPort: number;
  command: string[];
  resourcesPaths: string[];
  configFile: string;
  /** `<runtimePath>/.dapr/bin/daprd` when the run file names a runtimePath; else the provisioned daprd. */
  daprdPath?: string;
  /** undefined: not given (the CLI defaults it); "": off. */
  placementHostAddress?: string;
  schedulerHostAddress?: string;
  apiListenAddresses?: string;
  appProtocol: string;
  enableAppHealthCheck: boolean;
  /** "" when not given: daprd's default (/healthz) applies, and no flag is passed. */
  appHealthCheckPath: string;
  /** Sidecar's app health probe: seconds between probes, ms per probe, failures before "unhealthy"; 0 = daprd's default. */
  appHealth: { intervalSeconds: number; timeoutMs: number; threshold: number };
  logLevel: string;
  env: Record<string, string>;
}

/** What path resolution depends on besides the run file: injectable so the tests pin each rule. */
export interface ResolveContext {
  homeDir: string;
  /** DAPR_RUNTIME_PATH, the CLI's fallback when no runtimePath is given. */
  daprRuntimePath?: string;
  exists(path: string): boolean;
}

const defaultContext = (): ResolveContext => ({ homeDir: homedir(), daprRuntimePath: process.env.DAPR_RUNTIME_PATH, exists: existsSync });

export function loadRunFile(file = resolve(ROOT, 'dapr.yaml'), context: ResolveContext = defaultContext()): AppSpec[] {
  return resolveRunFile(RunFile.parse(parse(readFileSync(file, 'utf8'))), file, context);
}

/**
 * Mirrors dapr/cli 1.18 `pkg/runfileconfig/run_file_config_parser.go` (GetApps): the
 * unit tests in tools/launcher/test/run-file-rules.test.ts pin each rule.
 */
export function resolveRunFile(runFile: RunFileDoc, runFilePath: string, context: ResolveContext): AppSpec[] {
  const baseDir = dirname(resolve(runFilePath));
  // validateRunConfig: common paths against the run file's folder; each must exist.
  const absolute = (base: string, path: string | undefined, what: string) => {
    if (!path) return undefined;
    const expanded = path.startsWith('~/') ? join(context.homeDir, path.slice(2)) : path;
    const abs = isAbsolute(expanded) ? expanded : join(base, expanded);
    if (!context.exists(abs)) throw new Error(`dapr.yaml: ${what} ${abs} does not exist`);
    return abs;
  };
  const common = runFile.common;
  const commonResources = (common.resourcesPaths ?? []).map((p) => absolute(baseDir, p, 'common.resourcesPaths')!);
  const commonConfig = absolute(baseDir, common.configFilePath, 'common.configFilePath');
  const commonRuntime = absolute(baseDir, common.runtimePath, 'common.runtimePath');

  return runFile.apps.map((app) => {
    const appDir = absolute(baseDir, app.appDirPath, 'appDirPath')!;
    const appId = app.appID || basename(appDir);
    // Every other per-app path resolves against that app's appDirPath, not the run file's folder.
    const where = `apps[${appId}]`;
    const ownResources = (app.resourcesPaths ?? []).map((p) => absolute(appDir, p, `${where}.resourcesPaths`)!);
    const ownConfig = absolute(appDir, app.configFilePath, `${where}.configFilePath`);
    const runtime = absolute(appDir, app.runtimePath, `${where}.runtimePath`) ?? commonRuntime;
    // GetDaprRuntimePath: runtimePath, else DAPR_RUNTIME_PATH, else $HOME; then /.dapr.
    const daprDir = join(runtime ?? (context.daprRuntimePath?.trim() || context.homeDir), '.dapr');
    const local = (name: string) => (context.exists(join(appDir, '.dapr', name)) ? join(appDir, '.dapr', name) : undefined);
    // resolveResourcesFilePath / resolveConfigFilePath: apps[i] > appDirPath/.dapr/… > common > Dapr's default.
    const resourcesPaths =
      ownResources.length > 0
        ? ownResources
        : local('resources')
          ? [local('resources')!]
          : commonResources.length > 0
            ? commonResources
            : [join(daprDir, 'components')];
    const configFile = ownConfig ?? local('config.yaml') ?? commonConfig ?? join(daprDir, 'config.yaml');
    // mergeCommonAndAppsSharedRunConfig: a field the app leaves at its zero value takes common's.
    const pick = <K extends keyof typeof common>(key: K): (typeof common)[K] => (isZero(key, app[key]) ? common[key] : app[key]);
    return {
      appId,
      instance: appId,
      appDir,
      appPort: app.appPort,
      daprHttpPort: app.daprHTTPPort,
      daprGrpcPort: app.daprGRPCPort,
      daprInternalGrpcPort: app.daprInternalGRPCPort,
      metricsPort: app.metricsPort,
      command: app.command,
      resourcesPaths,
      configFile,
      ...(runtime ? { daprdPath: join(runtime, '.dapr', 'bin', 'daprd') } : {}),
      placementHostAddress: pick('placementHostAddress'),
      schedulerHostAddress: pick('schedulerHostAddress'),
      apiListenAddresses: pick('apiListenAddresses'),
      appProtocol: pick('appProtocol') ?? 'http',
      enableAppHealthCheck: pick('enableAppHealthCheck') ?? false,
      appHealthCheckPath: pick('appHealthCheckPath') ?? '',
      appHealth: {
        intervalSeconds: pick('appHealthProbeInterval') ?? 0,
        timeoutMs: pick('appHealthProbeTimeout') ?? 0,
        threshold: pick('appHealthThreshold') ?? 0,
      },
      logLevel: pick('logLevel') ?? 'info',
      // mergeCommonAndAppsEnv: apps[i].env > common.env.
      env: { ...common.env, ...app.env },
    };
  });
}

/** The CLI's `*string` fields: "" there means "off", and is not a zero value. */
const POINTER_FIELDS: ReadonlySet<string> = new Set(['placementHostAddress', 'schedulerHostAddress']);

/** Go's reflect.Value.IsZero for the run file's field types: absent, false, 0, or "" (but a pointer to "" is set). */
function isZero(key: string, value: unknown): boolean {
  if (value === undefined) return true;
  return !POINTER_FIELDS.has(key) && (value === false || value === 0 || value === '');
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
    spec
      .split(',')
      .filter(Boolean)
      .map((entry) => {
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
        env: Object.fromEntries(
          Object.entries(app.env).map(([name, value]) => [name, name.endsWith('_PORT') ? String(Number(value) + offset) : value]),
        ),
      };
    }),
  );
}
