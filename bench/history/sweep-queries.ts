import type { LocalSecrets } from '../../tools/launcher/src/secrets.js';
import { ascending, percentile } from '../stats.js';
import { ORDER_TABLE, postgres } from './stores.js';

/**
 * What a sweep costs PostgreSQL, timed with EXPLAIN ANALYZE on the rows actually there:
 * the two scans main's sweeps sent through Dapr's Query API (the outbox every 2 s, the
 * settle sweep every 5 s; Dapr's PostgreSQL v1 turns a filter and a sort into
 * `value->>'field'` expressions, which no index serves), and the key lookup the new
 * pending indexes do instead (16 outbox shards + 16 payment-intent shards, a bulk get).
 */
export interface SweepQueryCost {
  name: string;
  /** Median execution time over the repeats, ms, and the plan's top node. */
  medianMs: number;
  plan: string;
}

const shardKeys = (name: string) => Array.from({ length: 16 }, (_, bucket) => `order||${name}-pending-${bucket}`);

const QUERIES: Array<{ name: string; sql: string; params: unknown[] }> = [
  {
    name: "main's outbox sweep (Query API: kind = outbox, sort storedAt, limit 200)",
    sql: `SELECT key, value, xmin AS etag FROM ${ORDER_TABLE} WHERE value->>'kind' = $1 ORDER BY value->>'storedAt' ASC LIMIT 200`,
    params: ['outbox'],
  },
  {
    name: "main's settle sweep (Query API: kind = payment-intent, sort notedAt, limit 200)",
    sql: `SELECT key, value, xmin AS etag FROM ${ORDER_TABLE} WHERE value->>'kind' = $1 ORDER BY value->>'notedAt' ASC LIMIT 200`,
    params: ['payment-intent'],
  },
  {
    name: 'this branch: both pending indexes (bulk get of 32 shard keys)',
    sql: `SELECT key, value, xmin AS etag FROM ${ORDER_TABLE} WHERE key = ANY($1)`,
    params: [[...shardKeys('outbox'), ...shardKeys('intents')]],
  },
];

export async function sweepQueryCosts(secrets: LocalSecrets, repeats = 5): Promise<{ rows: number; queries: SweepQueryCost[] }> {
  const db = await postgres(secrets);
  try {
    const rows = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${ORDER_TABLE}`)).rows[0]!.n);
    const queries: SweepQueryCost[] = [];
    for (const { name, sql, params } of QUERIES) {
      const times: number[] = [];
      let plan = '';
      for (let run = 0; run < repeats; run++) {
        const result = await db.query<{
          'QUERY PLAN': Array<{ Plan: { 'Node Type': string; Plans?: Array<{ 'Node Type': string }> }; 'Execution Time': number }>;
        }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
        const [explained] = result.rows[0]!['QUERY PLAN'];
        times.push(explained!['Execution Time']);
        const nodes = [explained!.Plan['Node Type'], ...(explained!.Plan.Plans ?? []).map((p) => p['Node Type'])];
        plan = nodes.join(' ← ');
      }
      queries.push({ name, medianMs: percentile(ascending(times), 50), plan });
    }
    return { rows, queries };
  } finally {
    await db.end();
  }
}
