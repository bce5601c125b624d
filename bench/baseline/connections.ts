import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners, type Consumer, type Producer } from 'kafkajs';
import pg from 'pg';
import { KAFKA, kafkaAdminSasl } from '../../tools/launcher/src/infra/kafka.js';
import { loadOrCreateSecrets, POSTGRES, REDIS, type LocalSecrets } from '../../tools/launcher/src/secrets.js';

/** The same servers the Dapr stack uses, reached with their own drivers: no sidecar in between. */
export interface Connections {
  pool: pg.Pool;
  redis: Redis;
  kafka: Kafka;
  producer: Producer;
  close(): Promise<void>;
}

export async function connect(secrets: LocalSecrets): Promise<Connections> {
  const pool = new pg.Pool({
    host: '127.0.0.1',
    port: POSTGRES.port,
    user: POSTGRES.user,
    database: POSTGRES.database,
    password: secrets['postgres-password'],
    max: 20,
  });
  const redis = new Redis({ host: '127.0.0.1', port: REDIS.port, password: secrets['redis-password'], db: 3, lazyConnect: true });
  await redis.connect();
  const kafka = localKafka('bench-baseline');
  // kafkajs waits for all in-sync replicas by default (acks -1), like Dapr's producer (sarama WaitForAll).
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    pool,
    redis,
    kafka,
    producer,
    close: async () => {
      await producer.disconnect();
      redis.disconnect();
      await pool.end();
    },
  };
}

/** Publishes one JSON event keyed like the Dapr apps key theirs (orderId), so one order's events stay in order. */
export async function publish(producer: Producer, topic: string, key: string, event: unknown): Promise<void> {
  await producer.send({ topic, messages: [{ key, value: JSON.stringify(event) }] });
}

/** A kafkajs client for the stack's broker, logged in as its administrator (the baseline creates its own topics). */
export function localKafka(clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [`127.0.0.1:${KAFKA.port}`],
    logLevel: logLevel.NOTHING,
    sasl: kafkaAdminSasl(loadOrCreateSecrets()),
  });
}

/**
 * Consumes a topic from its end, four partitions at a time, and resolves once the group
 * has its partitions: a new group starts at the end, so load sent earlier would be missed.
 */
export async function consumeFromNow(
  kafka: Kafka,
  groupId: string,
  topic: string,
  onMessage: (value: string) => unknown,
  maxWaitTimeInMs?: number,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, ...(maxWaitTimeInMs ? { maxWaitTimeInMs } : {}) });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    partitionsConsumedConcurrently: 4,
    eachMessage: async ({ message }) => {
      await onMessage(message.value?.toString() ?? '{}');
    },
  });
  await joined;
  return consumer;
}
