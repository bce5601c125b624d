import { mkdirSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { RUN_DIR, type Toolchain } from './paths.js';
import { sidecarCores, type ControlPlane } from './apps.js';
import type { AppTokens } from './secrets.js';

/** `source` it before `dapr run -f .` (README, "With the Dapr CLI"). Under .run/, so never committed. */
export const CLI_ENV_FILE = join(RUN_DIR, 'dapr-cli.env');
/** A Dapr install folder in the layout the CLI looks for (`<path>/.dapr/bin/daprd`), holding the provisioned daprd. */
const RUNTIME_DIR = join(RUN_DIR, 'dapr-runtime');

/**
 * What the CLI passes on from its own environment and the launcher sets itself
 * (apps.ts sidecarEnv/appEnv): the API tokens both sides check, and the root of
 * trust sentry signs with. DAPR_RUNTIME_PATH only when the provisioned daprd is not
 * `dapr init`'s own (~/.dapr/bin/daprd), which the CLI would find anyway.
 */
export function writeCliEnv(tools: Toolchain, cliTokens: AppTokens, controlPlane: ControlPlane): string {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const vars: Record<string, string> = {
    // `dapr run -f` hands its own environment to every daprd and app, so one pair serves them all
    // there (a pair of its own, not any app's): per-app tokens need the launcher (README, "With the Dapr CLI").
    DAPR_API_TOKEN: cliTokens['dapr-api-token'],
    APP_API_TOKEN: cliTokens['app-api-token'],
    DAPR_TRUST_ANCHORS: controlPlane.trustAnchors,
    // The sidecars' core count, as the launcher gives it (the apps, Node, ignore it).
    GOMAXPROCS: sidecarCores(),
  };
  if (tools.daprd !== join(homedir(), '.dapr', 'bin', 'daprd')) {
    const link = join(RUNTIME_DIR, '.dapr', 'bin', 'daprd');
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(tools.daprd, link);
    vars.DAPR_RUNTIME_PATH = RUNTIME_DIR;
  }
  const text = Object.entries(vars)
    .map(([name, value]) => `export ${name}=${quote(value)}`)
    .join('\n');
  writeFileSync(CLI_ENV_FILE, `${text}\n`, { mode: 0o600 });
  return CLI_ENV_FILE;
}
