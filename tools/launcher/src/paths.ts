import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: every relative path in dapr.yaml and the components is resolved from here. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Everything a run creates (data, logs, secrets) lives here, ignored by git. */
export const RUN_DIR = join(ROOT, '.run');
export const LOG_DIR = join(RUN_DIR, 'logs');
export const DATA_DIR = join(RUN_DIR, 'data');

/** Paths of the binaries scripts/provision.sh installed or built. */
export interface Toolchain {
  daprd: string;
  sentry: string;
  /** Dapr's scheduler: the CLI's rules point every daprd > 1.15 at one (cli-rules.ts). */
  scheduler?: string;
  daprVersion: string;
  kafkaLibs: string;
  postgresBin: string;
  redisServer: string;
}

export function loadToolchain(): Toolchain {
  const file = join(RUN_DIR, 'toolchain.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Toolchain;
  } catch {
    throw new Error(`${file} is missing: run scripts/provision.sh (or npm start) first`);
  }
}
