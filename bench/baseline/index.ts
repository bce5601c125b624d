import { join } from 'node:path';
import type { LocalSecrets } from '../../tools/launcher/src/secrets.js';
import { RUN_DIR } from '../../tools/launcher/src/paths.js';
import { connect } from './connections.js';
import { startBaselineKitchen } from './kitchen.js';
import { BASELINE_TOPICS, startBaselineOrder } from './order.js';
import { startBaselinePay } from './pay.js';

export { BASELINE_TOPICS } from './order.js';

/**
 * The direct baseline: order → pay → publish → consume with the same use cases as
 * the services, their ports served by drivers (pg, node-sqlite3-wasm, kafkajs,
 * ioredis) and plain HTTP between order and pay, in this process, no sidecars.
 * It uses the stack's own PostgreSQL, Redis and Kafka (its own tables, db 3, topics).
 */
export async function startBaseline(
  secrets: LocalSecrets,
  ports = { order: 3801, pay: 3802 },
): Promise<{ orderUrl: string; close(): Promise<void> }> {
  const connections = await connect(secrets);
  const admin = connections.kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(BASELINE_TOPICS).map((topic) => ({ topic, numPartitions: 4 })) });
  await admin.disconnect();
  const pay = startBaselinePay(join(RUN_DIR, 'data', 'bench-payments.db'), connections.producer, ports.pay);
  const order = await startBaselineOrder(connections.pool, connections.producer, pay.url, ports.order);
  const kitchen = await startBaselineKitchen(connections.kafka, connections.redis, connections.producer);
  return {
    orderUrl: order.url,
    close: async () => {
      order.close();
      pay.close();
      await kitchen.close();
      await connections.close();
    },
  };
}
