import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, type Toolchain } from '../paths.js';
import { isPortOpen, waitUntil } from '../readiness.js';
import { POSTGRES, type LocalSecrets } from '../secrets.js';
import type { Supervisor } from '../supervisor.js';
import { asServiceUser, serviceUserOwns } from './service-user.js';

const DIR = join(DATA_DIR, 'postgres');

/** PostgreSQL for `orderstore`: a project-local cluster on 127.0.0.1, or the server already listening on the port. */
export async function ensurePostgres(supervisor: Supervisor, tools: Toolchain, secrets: LocalSecrets): Promise<'reused' | 'started'> {
  if (await isPortOpen(POSTGRES.port)) return 'reused';
  const firstRun = !existsSync(join(DIR, 'PG_VERSION'));
  if (firstRun) initCluster(tools, secrets);
  const { command, args } = asServiceUser('postgres', join(tools.postgresBin, 'postgres'), [
    '-D',
    DIR,
    '-h',
    '127.0.0.1',
    '-p',
    String(POSTGRES.port),
    '-k',
    DIR, // Unix socket inside the data dir: no need for /var/run/postgresql.
    '-c',
    'max_connections=200',
    '-c',
    'log_min_messages=warning',
  ]);
  supervisor.start({ name: 'postgres', tier: 0, command, args, cwd: DIR });
  const isReady = join(tools.postgresBin, 'pg_isready');
  await waitUntil(
    'PostgreSQL',
    async () => {
      execFileSync(isReady, ['-q', '-h', '127.0.0.1', '-p', String(POSTGRES.port)]);
      return true;
    },
    30_000,
    200,
  );
  if (firstRun) {
    execFileSync(
      join(tools.postgresBin, 'createdb'),
      ['-h', '127.0.0.1', '-p', String(POSTGRES.port), '-U', POSTGRES.user, POSTGRES.database],
      {
        env: { ...process.env, PGPASSWORD: secrets['postgres-password'] },
      },
    );
  }
  return 'started';
}

function initCluster(tools: Toolchain, secrets: LocalSecrets): void {
  rmSync(DIR, { recursive: true, force: true });
  // The service user must be able to traverse the parent; only the cluster itself is private.
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o755 });
  mkdirSync(DIR, { mode: 0o700 });
  const passwordFile = join(DATA_DIR, 'postgres.pw');
  writeFileSync(passwordFile, secrets['postgres-password'], { mode: 0o600 });
  serviceUserOwns('postgres', DIR, passwordFile);
  const { command, args } = asServiceUser('postgres', join(tools.postgresBin, 'initdb'), [
    '-D',
    DIR,
    '-U',
    POSTGRES.user,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '-E',
    'UTF8',
    '--no-instructions',
  ]);
  try {
    execFileSync(command, args, { stdio: 'pipe' });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}
