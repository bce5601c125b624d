import pg from 'pg';
import { EtagConflict, mustBeNew, type StateDriver, type StateOp, type StoredItem } from './driver.js';

/**
 * state.postgresql's work on pg: one row per key with a JSONB value, a version and an expiry; a read of several
 * keys is one query, a transaction is BEGIN … COMMIT on one connection. Its own table (`<tableName>_twin`).
 */
export class PostgresState implements StateDriver {
  private readonly pool: pg.Pool;
  private ready: Promise<unknown> | undefined;

  constructor(
    connectionString: string,
    private readonly table: string,
  ) {
    this.pool = new pg.Pool({ ...parseConnection(connectionString), max: 8 });
  }

  async read(keys: string[]): Promise<StoredItem[]> {
    await this.init();
    const { rows } = await this.pool.query<{ key: string; json: string; etag: string }>(
      `SELECT key, value::text AS json, etag::text AS etag FROM ${this.table} WHERE key = ANY($1) AND (expires_at IS NULL OR expires_at > now())`,
      [keys],
    );
    return rows;
  }

  async apply(ops: StateOp[]): Promise<void> {
    await this.init();
    if (ops.length === 1) return this.one(this.pool, ops[0]!);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const op of ops) await this.one(client, op);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async one(db: pg.Pool | pg.PoolClient, op: StateOp): Promise<void> {
    const t = this.table;
    const expires = `CASE WHEN $3::int IS NULL THEN NULL ELSE now() + make_interval(secs => $3::int) END`;
    let result: pg.QueryResult;
    if (op.kind === 'delete') {
      result = op.etag
        ? await db.query(`DELETE FROM ${t} WHERE key = $1 AND etag = $2`, [op.key, version(op.etag)])
        : await db.query(`DELETE FROM ${t} WHERE key = $1`, [op.key]);
      if (op.etag && result.rowCount === 0) throw new EtagConflict(op.key);
      return;
    }
    const ttl = op.ttlSeconds ?? null;
    if (op.etag) {
      result = await db.query(`UPDATE ${t} SET value = $2::jsonb, etag = etag + 1, expires_at = ${expires} WHERE key = $1 AND etag = $4`, [
        op.key,
        op.json,
        ttl,
        version(op.etag),
      ]);
    } else {
      // A first write may take the place of an expired row only; a last write replaces any.
      const onlyIf = mustBeNew(op) ? `WHERE ${t}.expires_at IS NOT NULL AND ${t}.expires_at <= now()` : '';
      result = await db.query(
        `INSERT INTO ${t} (key, value, etag, expires_at) VALUES ($1, $2::jsonb, 1, ${expires})
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, etag = ${t}.etag + 1, expires_at = EXCLUDED.expires_at ${onlyIf}`,
        [op.key, op.json, ttl],
      );
    }
    if (result.rowCount === 0) throw new EtagConflict(op.key);
  }

  private init(): Promise<unknown> {
    this.ready ??= this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (key text PRIMARY KEY, value jsonb NOT NULL, etag bigint NOT NULL, expires_at timestamptz)`,
    );
    return this.ready;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** An ETag that is not a version number matches nothing (daprd: "invalid etag", a conflict too). */
const version = (etag: string) => (/^\d+$/.test(etag) ? etag : '-1');

/** A libpq keyword string (`host=… user=…`) as pg's options; a URL as it is. */
function parseConnection(text: string): pg.PoolConfig {
  if (/^postgres(ql)?:\/\//.test(text)) return { connectionString: text };
  const fields = Object.fromEntries(
    text
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split('=', 2) as [string, string]),
  );
  if (!fields.host || !fields.port) throw new Error('the connection string names no host and port');
  return {
    host: fields.host,
    port: Number(fields.port),
    user: fields.user,
    password: fields.password,
    database: fields.dbname ?? fields.database,
  };
}
