import { BRANCH_IDS } from '@burger/contracts';
import { randomUUID } from 'node:crypto';
import type { AppSpec } from '../../tools/launcher/src/run-file.js';
import { usualCallerOf } from '@burger/contracts';
import { tokensOfApp, type LocalSecrets } from '../../tools/launcher/src/secrets.js';
import { ORDER_TABLE, postgres, redis, REDIS_DBS, sqlite, SQLITE_TABLES, sqlQuote } from './stores.js';

/** What the services left in their stores for one closed order: the pattern every history order is cloned from. */
export interface ClosedOrderTemplate {
  outcome: 'Delivered' | 'Cancelled';
  orderId: string;
  customerId: string;
  storeId: string;
  /** Every UUID in those records (orderId first: event ids, payment id…); each history order gets its own set. */
  uuids: string[];
  pgKeys: string[];
  sqlite: Array<{ file: string; table: string; keys: string[] }>;
  redis: Array<{ db: number; key: string; hash: Record<string, string>; pttl: number }>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

type Call = (appId: string, method: string, path: string, body?: unknown) => Promise<{ status: number; text: string }>;

function sidecarCalls(apps: Map<string, AppSpec>, _secrets: LocalSecrets): Call {
  return async (appId, method, path, body) => {
    // Through the sidecar of an app allowed to call it (each sidecar serves only the APIs its app needs).
    const via = usualCallerOf(appId);
    const response = await fetch(`http://127.0.0.1:${apps.get(via)!.daprHttpPort}/v1.0/invoke/${appId}/method/${path}`, {
      method,
      headers: { 'dapr-api-token': tokensOfApp(via)['dapr-api-token'], 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, text: await response.text() };
  };
}

/** Retries a call until it answers `status` (e.g. 404 until the ticket reached the kitchen), for up to `ms`. */
async function until(
  what: string,
  attempt: () => Promise<{ status: number; text: string }>,
  expected: number[],
  ms = 30_000,
): Promise<string> {
  const giveUpAt = Date.now() + ms;
  for (;;) {
    const { status, text } = await attempt();
    if (expected.includes(status)) return text;
    if (Date.now() > giveUpAt) throw new Error(`${what}: ${status} ${text.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every record of one order and its customer, in every store: keys containing the orderId or the customerId. */
async function capture(
  secrets: LocalSecrets,
  orderId: string,
  customerId: string,
): Promise<Omit<ClosedOrderTemplate, 'outcome' | 'orderId' | 'customerId' | 'storeId' | 'uuids'> & { text: string }> {
  const db = await postgres(secrets);
  let text = '';
  try {
    const rows = (
      await db.query<{ key: string; value: string }>(
        `SELECT key, value::text AS value FROM ${ORDER_TABLE} WHERE strpos(key, $1) > 0 OR strpos(key, $2) > 0 ORDER BY key`,
        [orderId, customerId],
      )
    ).rows;
    text += rows.map((r) => `${r.key} ${r.value}`).join('\n');
    const lite: ClosedOrderTemplate['sqlite'] = [];
    for (const { file, table } of SQLITE_TABLES) {
      const found = await sqlite(
        file,
        `SELECT * FROM ${table} WHERE instr(key, ${sqlQuote(orderId)}) > 0 OR instr(key, ${sqlQuote(customerId)}) > 0 ORDER BY key;`,
        true,
      ).catch(() => []);
      text += found.map((r) => `\n${JSON.stringify(r)}`).join('');
      lite.push({ file, table, keys: found.map((r) => String(r.key)) });
    }
    const kept: ClosedOrderTemplate['redis'] = [];
    for (const number of REDIS_DBS) {
      const client = await redis(secrets, number);
      try {
        const keys = new Set<string>();
        for (const pattern of [`*${orderId}*`, `*${customerId}*`]) {
          let cursor = '0';
          do {
            const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
            for (const key of batch) keys.add(key);
            cursor = next;
          } while (cursor !== '0');
        }
        for (const key of [...keys].sort()) {
          if ((await client.type(key)) !== 'hash') continue; // Dapr's Redis layout: a hash with `data` and `version`
          const hash = await client.hgetall(key);
          kept.push({ db: number, key, hash, pttl: await client.pttl(key) });
          text += `\n${key} ${JSON.stringify(hash)}`;
        }
      } finally {
        client.disconnect();
      }
    }
    return { pgKeys: rows.map((r) => r.key), sqlite: lite, redis: kept, text };
  } finally {
    await db.end();
  }
}

const statusOf = (template: { redis: ClosedOrderTemplate['redis'] }, key: string): string | undefined => {
  const data = template.redis.find((r) => r.key === key)?.hash.data;
  return data ? (JSON.parse(data) as { status?: string }).status : undefined;
};

/**
 * Places one order and closes it the way the system does (the kitchen's three steps,
 * or the customer's cancellation that the store grants), then waits until every
 * consumer is done with it: the order and its view say so, and nothing changes for
 * two consecutive looks a second apart. Returns what the stores then hold.
 */
export async function closedOrderTemplate(
  apps: Map<string, AppSpec>,
  secrets: LocalSecrets,
  outcome: ClosedOrderTemplate['outcome'],
): Promise<ClosedOrderTemplate> {
  const call = sidecarCalls(apps, secrets);
  const tag = randomUUID().slice(0, 8);
  const customerId = `histtmpl-customer-${outcome === 'Delivered' ? 'd' : 'c'}${tag}`;
  // A real branch (order refuses others); the seeding rewrites it to each history order's own branch.
  const storeId = BRANCH_IDS.at(-1)!;
  const placed = await until(
    'template order',
    () => call('order', 'POST', 'orders', { customerId, storeId, lines: [{ menuItemId: 'bulgogi-burger', quantity: 2 }] }),
    [201],
  );
  const { orderId } = JSON.parse(placed) as { orderId: string };
  if (outcome === 'Delivered') {
    for (const step of ['start-cooking', 'start-delivery', 'delivered']) {
      await until(`kitchen ${step}`, () => call('store', 'POST', `stores/${storeId}/orders/${orderId}/${step}`), [200]);
    }
  } else {
    // The store must know the order before it can grant the cancellation.
    await until(
      'queued',
      () => call('store', 'GET', `stores/${storeId}/queue`).then((r) => ({ ...r, status: r.text.includes(orderId) ? 200 : 404 })),
      [200],
    );
    await until('cancel', () => call('order', 'POST', `orders/${orderId}/cancel`, { customerId }), [202]);
  }
  const giveUpAt = Date.now() + 60_000;
  let previous = '';
  for (;;) {
    const seen = await capture(secrets, orderId, customerId);
    const orderRow = seen.pgKeys.includes(`order||order-${orderId}`);
    const done = orderRow && statusOf(seen, `order-view||order-${orderId}`) === outcome;
    if (done && seen.text === previous) {
      const uuids = [orderId, ...new Set([...seen.text.matchAll(UUID)].map((m) => m[0]).filter((id) => id !== orderId))];
      return { outcome, orderId, customerId, storeId, uuids, pgKeys: seen.pgKeys, sqlite: seen.sqlite, redis: seen.redis };
    }
    if (Date.now() > giveUpAt) throw new Error(`the ${outcome} template order ${orderId} did not settle:\n${seen.text.slice(0, 2000)}`);
    previous = done ? seen.text : '';
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
