import sqliteWasm from 'node-sqlite3-wasm';
import { EtagConflict, mustBeNew, type StateDriver, type StateOp, type StoredItem } from './driver.js';

const { Database } = sqliteWasm;

/**
 * state.sqlite's work in the app process (daprd embeds SQLite in the sidecar): a row per key with its
 * version and expiry, a transaction as BEGIN IMMEDIATE … COMMIT. node-sqlite3-wasm cannot use WAL (it
 * answers `delete` to journal_mode=WAL), so the twin journals with DELETE where daprd uses WAL;
 * synchronous is FULL in both.
 */
export class SqliteState implements StateDriver {
  private readonly db: InstanceType<typeof Database>;

  constructor(
    file: string,
    private readonly table: string,
    busyTimeoutMs: number,
  ) {
    this.db = new Database(file);
    this.db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}; PRAGMA synchronous = FULL`);
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, etag INTEGER NOT NULL, expires_at INTEGER)`,
    );
  }

  async read(keys: string[]): Promise<StoredItem[]> {
    const marks = keys.map(() => '?').join(',');
    const rows = this.db.all(
      `SELECT key, value AS json, CAST(etag AS TEXT) AS etag FROM ${this.table} WHERE key IN (${marks}) AND (expires_at IS NULL OR expires_at > ?)`,
      [...keys, now()],
    ) as unknown as StoredItem[];
    return rows;
  }

  async apply(ops: StateOp[]): Promise<void> {
    if (ops.length === 1) return this.one(ops[0]!);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const op of ops) this.one(op);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private one(op: StateOp): void {
    const t = this.table;
    let changes: number;
    if (op.kind === 'delete') {
      changes = op.etag
        ? this.db.run(`DELETE FROM ${t} WHERE key = ? AND etag = ?`, [op.key, Number(op.etag)]).changes
        : this.db.run(`DELETE FROM ${t} WHERE key = ?`, [op.key]).changes;
      if (op.etag && changes === 0) throw new EtagConflict(op.key);
      return;
    }
    const expires = op.ttlSeconds ? now() + op.ttlSeconds : null;
    if (op.etag) {
      changes = this.db.run(`UPDATE ${t} SET value = ?, etag = etag + 1, expires_at = ? WHERE key = ? AND etag = ?`, [
        op.json,
        expires,
        op.key,
        Number(op.etag),
      ]).changes;
    } else {
      const onlyIf = mustBeNew(op) ? `WHERE ${t}.expires_at IS NOT NULL AND ${t}.expires_at <= ${now()}` : '';
      changes = this.db.run(
        `INSERT INTO ${t} (key, value, etag, expires_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = ${t}.etag + 1, expires_at = excluded.expires_at ${onlyIf}`,
        [op.key, op.json, expires],
      ).changes;
    }
    if (changes === 0) throw new EtagConflict(op.key);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

const now = () => Math.floor(Date.now() / 1000);
