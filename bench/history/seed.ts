import { spawn } from 'node:child_process';
import type { LocalSecrets } from '../../tools/launcher/src/secrets.js';
import { ORDER_TABLE, postgres, redis, REDIS_PORT, sqlite, sqlQuote } from './stores.js';
import type { ClosedOrderTemplate } from './templates.js';

/**
 * History cloned from the closed template orders: history order i (1…count) is a copy
 * of the Cancelled template when i % 10 = 0, else of the Delivered one, with its own
 * UUIDs (orderId, payment, event ids), its own customer and one of `branches` branches.
 * The copies are written in each store's own format with its own client, and in the
 * store's own engine where it has one (INSERT … SELECT), so a million orders take
 * minutes, not the hours the services would need to place them.
 */
export interface HistoryShape {
  count: number;
  /** History order i was served by branchIds[i % length]: the real branches (order refuses others), the load's too. */
  branchIds: readonly string[];
}

const SALT = '000000c0ffee';
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The stand-in for each template token in history order i, as JS and as SQL over a column `g.i`. */
function substitutions(template: ClosedOrderTemplate, shape: HistoryShape) {
  const tokens = [...template.uuids, template.customerId, template.storeId];
  const js = (i: number) => [
    ...template.uuids.map((_, k) => `${hex(i, 8)}-${hex(k, 4)}-4000-8000-${SALT}`),
    `hist-customer-${hex(i, 8)}`,
    shape.branchIds[i % shape.branchIds.length]!,
  ];
  const sql = (hex8: string) => [
    ...template.uuids.map((_, k) => `${hex8} || ${sqlQuote(`-${hex(k, 4)}-4000-8000-${SALT}`)}`),
    `'hist-customer-' || ${hex8}`,
    // CASE, not ARRAY[…][k]: the same SQL runs on PostgreSQL and SQLite.
    `(CASE g.i % ${shape.branchIds.length} ${shape.branchIds.map((id, k) => `WHEN ${k} THEN ${sqlQuote(id)}`).join(' ')} END)`,
  ];
  return { tokens, js, sql };
}

const replaceChain = (expression: string, tokens: string[], values: string[]) =>
  tokens.reduce((acc, token, k) => `replace(${acc}, ${sqlQuote(token)}, ${values[k]})`, expression);

/** A template string split at its tokens once, so each copy is a join, not a search. */
function compile(text: string, tokens: string[]): (values: string[]) => string {
  const pattern = new RegExp(tokens.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const parts: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    slots.push(tokens.indexOf(match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return (values) => parts.reduce((out, part, k) => out + part + (k < slots.length ? values[slots[k]!] : ''), '');
}

const templateFor = (i: number) => (i % 10 === 0 ? 'Cancelled' : 'Delivered');
type ByOutcome = Record<ClosedOrderTemplate['outcome'], ClosedOrderTemplate>;

export interface SeedTiming {
  rows: number;
  seconds: number;
}

/** orderstore (PostgreSQL): INSERT … SELECT over generate_series, in batches, then VACUUM ANALYZE (as autovacuum would have over the month) and a checkpoint. */
export async function seedPostgres(
  secrets: LocalSecrets,
  templates: ByOutcome,
  shape: HistoryShape,
  log: (line: string) => void,
): Promise<SeedTiming & { vacuumSeconds: number }> {
  const started = performance.now();
  const db = await postgres(secrets);
  let rows = 0;
  try {
    // Not the identity column (Dapr 1.18's v1 table numbers rows in `row_id`, unique): each copy takes its own number.
    const columns = (
      await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND is_identity = 'NO' AND coalesce(column_default, '') NOT LIKE 'nextval(%' ORDER BY ordinal_position`,
        [ORDER_TABLE],
      )
    ).rows.map((r) => r.column_name);
    const batch = 100_000;
    for (let lo = 1; lo <= shape.count; lo += batch) {
      const hi = Math.min(shape.count, lo + batch - 1);
      for (const template of Object.values(templates)) {
        if (template.pgKeys.length === 0) continue;
        const { tokens, sql } = substitutions(template, shape);
        const values = sql(`lpad(to_hex(g.i), 8, '0')`);
        const select = columns.map((c) =>
          c === 'key'
            ? replaceChain('t.key', tokens, values)
            : c === 'value'
              ? `${replaceChain('t.value::text', tokens, values)}::jsonb`
              : `t.${c}`,
        );
        const result = await db.query(
          `INSERT INTO ${ORDER_TABLE} (${columns.join(', ')}) SELECT ${select.join(', ')} FROM ${ORDER_TABLE} t CROSS JOIN generate_series($1::int, $2::int) g(i)
           WHERE t.key = ANY($3) AND (g.i % 10 = 0) = $4 ON CONFLICT (key) DO NOTHING`,
          [lo, hi, template.pgKeys, template.outcome === 'Cancelled'],
        );
        rows += result.rowCount ?? 0;
      }
      log(`  orderstore: ${rows} rows`);
    }
    const seconds = (performance.now() - started) / 1000;
    const vacuumStarted = performance.now();
    await db.query(`VACUUM (ANALYZE) ${ORDER_TABLE}`);
    // And write the dirty pages out now, not in a timed checkpoint during the idle measurement.
    await db.query('CHECKPOINT');
    return { rows, seconds, vacuumSeconds: (performance.now() - vacuumStarted) / 1000 };
  } finally {
    await db.end();
  }
}

/** One command in Redis's wire protocol (RESP), as `redis-cli --pipe` takes it. */
const resp = (parts: string[]) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;

/** `redis-cli --pipe` into one database: the fastest way in (no client-side reply handling); resolves with its reply count. */
function pipeInto(secrets: LocalSecrets, db: number): { write(text: string): Promise<void>; end(): Promise<number> } {
  const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(REDIS_PORT), '-n', String(db), '--pipe'], {
    env: { ...process.env, REDISCLI_AUTH: secrets['redis-password'] },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // redis-cli leaving early (a refused connection, a closed socket) must fail the seeding with its own words, not EPIPE.
  let broken: Error | undefined;
  child.stdin.on('error', (error) => (broken = error));
  const failure = () => new Error(`redis-cli --pipe into db ${db} stopped early (${broken?.message ?? 'exited'}): ${out.slice(-500)}`);
  void exited.then(() => (broken ??= new Error('exited')));
  return {
    write: async (text) => {
      if (broken) throw failure();
      if (!child.stdin.write(text))
        await new Promise((resolve) => {
          child.stdin.once('drain', resolve);
          void exited.then(resolve);
        });
      if (broken) throw failure();
    },
    end: async () => {
      child.stdin.end();
      const code = await exited;
      const summary = /errors: (\d+), replies: (\d+)/.exec(out);
      if (code !== 0 || !summary || summary[1] !== '0')
        throw new Error(`redis-cli --pipe into db ${db} failed (${code}): ${out.slice(-500)}`);
      return Number(summary[2]);
    },
  };
}

/** Redis (tickets and tombstones, view rows, inboxes…): Dapr's hash layout, TTLs as the template had them; then an AOF rewrite. */
export async function seedRedis(
  secrets: LocalSecrets,
  templates: ByOutcome,
  shape: HistoryShape,
  log: (line: string) => void,
): Promise<SeedTiming & { rewriteSeconds: number; keysByDb: Record<number, number> }> {
  const started = performance.now();
  const compiled = Object.fromEntries(
    Object.values(templates).map((template) => {
      const { tokens, js } = substitutions(template, shape);
      const records = template.redis.map((r) => ({
        db: r.db,
        pttl: r.pttl,
        key: compile(r.key, tokens),
        fields: Object.entries(r.hash).map(([field, value]) => [field, compile(value, tokens)] as const),
      }));
      return [template.outcome, { js, records }];
    }),
  ) as Record<
    ClosedOrderTemplate['outcome'],
    {
      js: (i: number) => string[];
      records: Array<{ db: number; pttl: number; key: (v: string[]) => string; fields: Array<readonly [string, (v: string[]) => string]> }>;
    }
  >;
  const dbs = [...new Set(Object.values(compiled).flatMap((c) => c.records.map((r) => r.db)))];
  const pipes = new Map(dbs.map((db) => [db, pipeInto(secrets, db)]));
  const keysByDb: Record<number, number> = {};
  let rows = 0;
  let commands = 0;
  const batch = 5_000;
  for (let lo = 1; lo <= shape.count; lo += batch) {
    const chunks = new Map(dbs.map((db) => [db, [] as string[]]));
    for (let i = lo; i < lo + batch && i <= shape.count; i++) {
      const { js, records } = compiled[templateFor(i)];
      const values = js(i);
      for (const record of records) {
        const key = record.key(values);
        const chunk = chunks.get(record.db)!;
        chunk.push(resp(['HSET', key, ...record.fields.flatMap(([field, value]) => [field, value(values)])]));
        commands++;
        if (record.pttl > 0) {
          chunk.push(resp(['PEXPIRE', key, String(record.pttl)]));
          commands++;
        }
        keysByDb[record.db] = (keysByDb[record.db] ?? 0) + 1;
        rows++;
      }
    }
    await Promise.all([...chunks].map(([db, chunk]) => pipes.get(db)!.write(chunk.join(''))));
    if ((lo - 1) % 200_000 === 0) log(`  redis: ${rows} keys`);
  }
  const replies = (await Promise.all([...pipes.values()].map((pipe) => pipe.end()))).reduce((a, b) => a + b, 0);
  if (replies !== commands) throw new Error(`redis: ${commands} commands sent, ${replies} replies`);
  const seconds = (performance.now() - started) / 1000;
  // The append-only file now holds millions of writes: compact it now, as Redis would on its own over the month,
  // rather than in the middle of the idle measurement (and so a restart loads a snapshot, not a replay).
  const rewriteStarted = performance.now();
  const client = await redis(secrets, 0);
  try {
    await client.bgrewriteaof().catch(() => undefined); // refused when Redis already started a rewrite of its own
    for (;;) {
      const info = await client.info('persistence');
      if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    client.disconnect();
  }
  return { rows, seconds, rewriteSeconds: (performance.now() - rewriteStarted) / 1000, keysByDb };
}

/** SQLite stores (payments, marketing's tastes): one INSERT … SELECT per template, in one transaction. */
export async function seedSqlite(templates: ByOutcome, shape: HistoryShape): Promise<SeedTiming & { byTable: Record<string, number> }> {
  const started = performance.now();
  const byTable: Record<string, number> = {};
  let rows = 0;
  const targets = new Map(
    Object.values(templates).flatMap((t) => t.sqlite.filter((s) => s.keys.length > 0).map((s) => [s.file + s.table, s] as const)),
  );
  for (const { file, table } of targets.values()) {
    const info = await sqlite(file, `PRAGMA table_info(${table});`);
    const statements = Object.values(templates).map((template) => {
      const keys = template.sqlite.find((s) => s.file === file && s.table === table)?.keys ?? [];
      if (keys.length === 0) return '';
      const { tokens, sql } = substitutions(template, shape);
      const values = sql(`printf('%08x', g.i)`);
      const select = info.map(({ name, type }) =>
        String(type).toUpperCase() === 'TEXT' ? replaceChain(`t.${String(name)}`, tokens, values) : `t.${String(name)}`,
      );
      return `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${shape.count})
        INSERT OR IGNORE INTO ${table} (${info.map((c) => String(c.name)).join(', ')}) SELECT ${select.join(', ')} FROM ${table} t, g
        WHERE t.key IN (${keys.map(sqlQuote).join(', ')}) AND ((g.i % 10 = 0) = ${template.outcome === 'Cancelled' ? 1 : 0});`;
    });
    const out = await sqlite(
      file,
      `BEGIN;\n${statements.join('\n')}\nCOMMIT;\nPRAGMA wal_checkpoint(TRUNCATE);\nSELECT count(*) AS total FROM ${table};`,
    );
    const total = Number(out.at(-1)?.total ?? 0);
    byTable[table] = total;
    rows += total;
  }
  return { rows, seconds: (performance.now() - started) / 1000, byTable };
}
