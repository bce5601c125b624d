import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DATA_DIR } from '../../tools/launcher/src/paths.js';
import { POSTGRES, REDIS, type LocalSecrets } from '../../tools/launcher/src/secrets.js';

/**
 * The backing stores as the services' components see them (components/*.yaml),
 * opened with the stores' own clients: the history is written in their formats,
 * next to (not through) Dapr, the way a month of orders would have left it.
 */
export const ORDER_TABLE = 'orderstore_state';

/** Redis databases with per-order or per-customer records: storequeue (0), notificationstore (1), viewstore (2). */
export const REDIS_DBS: readonly number[] = [0, 1, 2];

/** SQLite state stores with per-order or per-customer records (file under .run/data, table). */
export const SQLITE_TABLES = [
  { file: join(DATA_DIR, 'payments.db'), table: 'payments' },
  { file: join(DATA_DIR, 'marketing.db'), table: 'customer_tastes' },
] as const;

/** The stack's fixed ports; overridable only to try the seeding against scratch servers. */
const PG_PORT = Number(process.env.HISTORY_BENCH_PG_PORT) || POSTGRES.port;
export const REDIS_PORT = Number(process.env.HISTORY_BENCH_REDIS_PORT) || REDIS.port;

export async function postgres(secrets: LocalSecrets): Promise<pg.Client> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: PG_PORT,
    user: POSTGRES.user,
    database: POSTGRES.database,
    password: secrets['postgres-password'],
  });
  await client.connect();
  return client;
}

export async function redis(secrets: LocalSecrets, db: number): Promise<Redis> {
  const client = new Redis({
    host: '127.0.0.1',
    port: REDIS_PORT,
    password: secrets['redis-password'],
    db,
    lazyConnect: true,
    maxRetriesPerRequest: 3,
  });
  await client.connect();
  return client;
}

/** Runs SQL through the sqlite3 CLI (statements on stdin, so a large script needs no temporary file); rows as JSON. */
export async function sqlite(file: string, sql: string, readonly = false): Promise<Array<Record<string, unknown>>> {
  const child = spawn('sqlite3', [...(readonly ? ['-readonly'] : []), '-json', '-bail', file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // A sidecar may hold the file's lock for a moment: wait for it rather than fail.
  child.stdin.end(`.timeout 15000\n${sql}`);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sqlite3 ${file} failed (${code}): ${err.slice(0, 500)}`);
  // -json prints one array per statement that returns rows; the callers here run one such statement.
  return out.trim() ? (JSON.parse(out.trim().replace(/\]\s*\[/g, ',')) as Array<Record<string, unknown>>) : [];
}

export const sqlQuote = (text: string) => `'${text.replace(/'/g, "''")}'`;
