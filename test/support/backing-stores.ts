import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { INFRA_HOST, INFRA_PORTS, infraAddress, kafkaAdminSasl } from '@burger/launcher';
import { stackInfo } from './stack-info.js';

/**
 * Reads what the services wrote straight from the backing stores with their own
 * clients, bypassing Dapr, so a test fails if anything silently fell back to an
 * in-memory store. Keys carry Dapr's `<app-id>||` prefix.
 */

const ROOT = join(import.meta.dirname, '..', '..');

export async function orderRow(orderId: string): Promise<Record<string, unknown> | undefined> {
  const rows = await orderRowsWhere(`key = $1`, [`order||order-${orderId}`]);
  return rows[0];
}

/** Orders (not outbox entries or payment intents) in PostgreSQL whose JSON document matches `where` (parameterised). */
export async function orderRowsWhere(where: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return orderStoreRows(`key LIKE 'order||order-%' AND (${where})`, params);
}

/** Any row of order's store (orders, outbox entries, payment intents) matching `where`. */
export async function orderStoreRows(where: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const rows = await orderStoreQuery<{ doc: Record<string, unknown> }>(`SELECT value AS doc FROM orderstore_state WHERE ${where}`, params);
  return rows.map((row) => row.doc);
}

/** When Dapr's TTL drops each row of order's store matching `where` (null: never). */
export async function orderStoreExpiries(where: string, params: unknown[]): Promise<Array<Date | null>> {
  const rows = await orderStoreQuery<{ expiredate: Date | null }>(`SELECT expiredate FROM orderstore_state WHERE ${where}`, params);
  return rows.map((row) => row.expiredate);
}

async function orderStoreQuery<Row>(sql: string, params: unknown[]): Promise<Row[]> {
  const client = new pg.Client({
    host: INFRA_HOST,
    port: INFRA_PORTS.postgres,
    user: 'burger',
    database: 'burger',
    password: stackInfo().secrets['postgres-password'],
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Record keys held in one of order's pending indexes (`outbox` or `intents`): work not yet finished. */
export async function pendingInOrderStore(index: 'outbox' | 'intents'): Promise<string[]> {
  const shards = await orderStoreRows(`key LIKE $1`, [`order||${index}-pending-%`]);
  return shards.flatMap((shard) => Object.keys((shard as unknown as PendingShard).entries));
}

/**
 * Records that still owe the broker an event: held in the outbox index with `publishedThrough` below the
 * record's last event. (A writer killed mid-flight leaves its hold for a while after the sweep has published
 * for it; that record owes nothing.)
 */
export async function owedInOrderStore(): Promise<string[]> {
  const shards = (await orderStoreRows(`key LIKE 'order||outbox-pending-%'`, [])) as unknown as PendingShard[];
  const keys = shards.flatMap((shard) => Object.keys(shard.entries));
  const records = keys.length ? await orderStoreRows(`key = ANY($1)`, [keys.map((key) => `order||${key}`)]) : [];
  return owed(shards, new Map(records.map((record) => [`order-${String(record.orderId)}`, record])));
}

export async function owedInPayStore(): Promise<string[]> {
  const db = join(ROOT, '.run', 'data', 'payments.db');
  const rows = async (sql: string) =>
    (await promisify(execFile)('sqlite3', ['-readonly', db, sql])).stdout.trim().split('\n').filter(Boolean);
  const shards = (await rows(`SELECT value FROM payments WHERE key LIKE 'pay||outbox-pending-%'`)).map(
    (line) => JSON.parse(line) as PendingShard,
  );
  const records = new Map<string, Record<string, unknown>>();
  for (const key of shards.flatMap((shard) => Object.keys(shard.entries))) {
    const [line] = await rows(`SELECT value FROM payments WHERE key = 'pay||${key.replace(/'/g, "''")}'`);
    if (line) records.set(key, JSON.parse(line) as Record<string, unknown>);
  }
  return owed(shards, records);
}

interface PendingShard {
  entries: Record<string, { holds: Record<string, number>; publishedThrough?: number }>;
}

function owed(shards: PendingShard[], records: Map<string, Record<string, unknown>>): string[] {
  return shards.flatMap((shard) =>
    Object.entries(shard.entries)
      .filter(
        ([key, entry]) => ((records.get(key)?.outbox as { lastSeq?: number } | undefined)?.lastSeq ?? 0) > (entry.publishedThrough ?? 0),
      )
      .map(([key]) => key),
  );
}

export async function paymentRecord(orderId: string): Promise<Record<string, unknown> | undefined> {
  const db = join(ROOT, '.run', 'data', 'payments.db');
  const key = `pay||payment-${orderId}`.replace(/'/g, "''");
  const { stdout } = await promisify(execFile)('sqlite3', ['-readonly', db, `SELECT value FROM payments WHERE key = '${key}'`]);
  return stdout.trim() ? (JSON.parse(stdout.trim()) as Record<string, unknown>) : undefined;
}

/** Every payment pay recorded for a customer (or, with `prefix`, for every customer whose id starts so), read from its SQLite file. */
export async function paymentsOfCustomer(customerId: string, match: 'exact' | 'prefix' = 'exact'): Promise<Array<Record<string, unknown>>> {
  const db = join(ROOT, '.run', 'data', 'payments.db');
  const customer = customerId.replace(/'/g, "''");
  const test = match === 'exact' ? `= '${customer}'` : `LIKE '${customer}%'`;
  const sql = `SELECT value FROM payments WHERE key LIKE 'pay||payment-%' AND json_extract(value, '$.customerId') ${test}`;
  const { stdout } = await promisify(execFile)('sqlite3', ['-readonly', db, sql]);
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * A branch's kitchen as the store keeps it in Redis: the board `store||branch-<storeId>` lists the open
 * orderIds, each order's ticket is `store||ticket-<orderId>` (Dapr's Redis layout: a hash whose field
 * `data` holds the JSON). Returns the open tickets the board points at (a pin whose ticket is missing or
 * closed, left by a crash, is skipped as the store skips it), and the board's size in bytes.
 */
export async function storeQueueRecord(
  storeId: string,
): Promise<{ tickets: Array<{ orderId: string; status: string }>; boardBytes: number } | undefined> {
  return withStoreRedis(async (redis) => {
    const board = await redis.hget(`store||branch-${storeId}`, 'data');
    if (!board) return undefined;
    const open = Object.keys((JSON.parse(board) as { open: Record<string, number> }).open);
    const tickets = open.length ? await redis.pipeline(open.map((id) => ['hget', `store||ticket-${id}`, 'data'])).exec() : [];
    return {
      tickets: (tickets ?? [])
        .map(([, data]) => (data ? (JSON.parse(data as string) as { orderId: string; storeId: string; status: string }) : undefined))
        .filter((t) => t !== undefined && t.storeId === storeId && ['Queued', 'Cooking', 'InDelivery'].includes(t.status)) as Array<{
        orderId: string;
        status: string;
      }>,
      boardBytes: Buffer.byteLength(board),
    };
  });
}

/** One order's ticket as stored (open or a closed tombstone), with the TTL Redis has on it (-1: none). */
export async function kitchenTicket(orderId: string): Promise<{ ticket: Record<string, unknown>; ttlSeconds: number } | undefined> {
  return withStoreRedis(async (redis) => {
    const data = await redis.hget(`store||ticket-${orderId}`, 'data');
    return data
      ? { ticket: JSON.parse(data) as Record<string, unknown>, ttlSeconds: await redis.ttl(`store||ticket-${orderId}`) }
      : undefined;
  });
}

async function withStoreRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    host: INFRA_HOST,
    port: INFRA_PORTS.redis,
    password: stackInfo().secrets['redis-password'],
    lazyConnect: true,
  });
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

/** Kafka as its administrator (the broker refuses anyone without a login, and apps may read only their own topics). */
export const adminKafka = () =>
  new Kafka({
    brokers: [infraAddress(INFRA_PORTS.kafka)],
    logLevel: logLevel.NOTHING,
    clientId: 'integration-test',
    sasl: kafkaAdminSasl(stackInfo().secrets),
  });

export interface TopicMessage {
  key: string | undefined;
  partition: number;
  cloudEvent: { id: string; data: Record<string, unknown> } & Record<string, unknown>;
}

/** Which broker this run uses (BURGER_BROKER, as the launcher reads it). */
export const broker = process.env.BURGER_BROKER || 'kafka';

/**
 * Every message on `topic` whose CloudEvent data matches, read straight from the
 * broker up to its end as it stands now, so an absence is as certain as a presence.
 */
export async function topicMessages(topic: string, matches: (data: Record<string, unknown>) => boolean): Promise<TopicMessage[]> {
  return broker === 'redis-streams' ? streamMessages(topic, matches) : kafkaMessages(topic, matches);
}

/** Redis Streams: the topic is a stream (db 5, see components/brokers/redis-streams) whose entries hold the CloudEvent in `data`. */
async function streamMessages(topic: string, matches: (data: Record<string, unknown>) => boolean): Promise<TopicMessage[]> {
  const redis = new Redis({
    host: INFRA_HOST,
    port: INFRA_PORTS.redis,
    db: 5,
    password: stackInfo().secrets['redis-password'],
    lazyConnect: true,
  });
  await redis.connect();
  try {
    const entries = await redis.xrange(topic, '-', '+');
    return entries
      .map(([, fields]) => JSON.parse(fields[fields.indexOf('data') + 1]!) as TopicMessage['cloudEvent'])
      .filter((cloudEvent) => matches(cloudEvent.data ?? {}))
      .map((cloudEvent) => ({ key: undefined, partition: 0, cloudEvent }));
  } finally {
    redis.disconnect();
  }
}

/**
 * The partitions' offsets of `topic`, [] when it does not exist. A topic the
 * sidecar has just created (a dead-letter topic on its first message) has no
 * leader for a moment: that retriable answer is waited out, not taken for an
 * empty topic, so an absence read here stays certain.
 */
async function topicEnds(kafka: Kafka, topic: string): Promise<Array<{ partition: number; high: string; low: string }>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await admin.listTopics()).includes(topic) ? await admin.fetchTopicOffsets(topic) : [];
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable === true;
        if (!retriable || attempt >= 20) throw error;
        await new Promise((resume) => setTimeout(resume, 500));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

function parsedCloudEvent(value: Buffer | null): TopicMessage['cloudEvent'] | undefined {
  try {
    return value ? (JSON.parse(value.toString()) as TopicMessage['cloudEvent']) : undefined;
  } catch {
    return undefined;
  }
}

/** Kafka: from the beginning up to the high watermarks, with a throw-away consumer group. */
async function kafkaMessages(topic: string, matches: (data: Record<string, unknown>) => boolean): Promise<TopicMessage[]> {
  const kafka = adminKafka();
  const ends = await topicEnds(kafka, topic);
  const pending = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high) - 1]));
  if (pending.size === 0) return [];

  const consumer = kafka.consumer({ groupId: `test-${crypto.randomUUID()}` });
  const found: TopicMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`reading ${topic} did not reach its end in 20 s`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          // Anything on a topic is read past, even what no sidecar wrote (the broker tests put raw bytes there):
          // one unreadable message must not stall every later read of the topic.
          const cloudEvent = parsedCloudEvent(message.value);
          if (cloudEvent && matches(cloudEvent.data ?? {})) found.push({ key: message.key?.toString(), partition, cloudEvent });
          if (Number(message.offset) >= (pending.get(partition) ?? Infinity)) pending.delete(partition);
          if (pending.size === 0) clearTimeout(timer), done();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return found;
}

/**
 * Kafka only: how many members of consumer group `group` currently own
 * partitions of `topic` (a group settles a few seconds after a member joins or leaves).
 */
export async function membersOwning(group: string, topic: string): Promise<number> {
  const admin = adminKafka().admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([group]);
    const members = groups[0]?.state === 'Stable' ? groups[0].members : [];
    return members.filter((m) => (AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? []).length > 0).length;
  } finally {
    await admin.disconnect();
  }
}
