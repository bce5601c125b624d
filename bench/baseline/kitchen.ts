import type { Redis } from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import { OrderPlaced, type StoreEvent } from '@burger/contracts';
import { stampEvent } from '@burger/service-kit';
import { emptyQueue, type StoreQueue } from '../../services/store/src/domain/store-queue.js';
import { AcceptPaidOrder } from '../../services/store/src/application/accept-paid-order.js';
import { QueueChangedMeanwhile, type KitchenAnnouncement, type KitchenEvents, type StoreQueueRepository, type VersionedQueue } from '../../services/store/src/application/ports.js';
import { consumeFromNow, publish } from './connections.js';
import { BASELINE_TOPICS } from './order.js';

/**
 * Compare-and-set on a hash {data, version}: the check-and-write Dapr's Redis state store
 * performs for an ETag, done here by the driver in one script.
 */
const SAVE_IF_UNCHANGED = `
local current = redis.call('HGET', KEYS[1], 'version')
if (current or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'version', tostring((tonumber(current) or 0) + 1))
return 1`;

/** store's accept-paid-order use case (the same application code) on Redis and Kafka directly. */
class RedisStoreQueues implements StoreQueueRepository {
  constructor(private readonly redis: Redis) {}

  async load(storeId: string): Promise<VersionedQueue> {
    const [data, version] = await this.redis.hmget(queueKey(storeId), 'data', 'version');
    return data ? { queue: JSON.parse(data) as StoreQueue, version: version ?? '' } : { queue: emptyQueue(storeId) };
  }

  async save(queue: StoreQueue, version: string | undefined): Promise<void> {
    const saved = await this.redis.eval(SAVE_IF_UNCHANGED, 1, queueKey(queue.storeId), version ?? '', JSON.stringify(queue));
    if (saved !== 1) throw new QueueChangedMeanwhile(queue.storeId);
  }
}

const queueKey = (storeId: string) => `bench:queue-${storeId}`;

class KafkaKitchenEvents implements KitchenEvents {
  constructor(private readonly producer: Producer) {}

  async announce(announcement: KitchenAnnouncement): Promise<void> {
    if (announcement.type !== 'OrderQueued') throw new Error('only OrderQueued is part of the benchmarked flow');
    const { orderId, customerId, storeId } = announcement.ticket;
    const event = stampEvent<Extract<StoreEvent, { type: 'OrderQueued' }>>({ type: 'OrderQueued', orderId, customerId, storeId }, { onceKey: `OrderQueued:${orderId}` });
    await publish(this.producer, BASELINE_TOPICS.storeEvents, orderId, event);
  }
}

/** Consumes order events as store's subscription does (one consumer group, each partition in order). */
export async function startBaselineKitchen(kafka: Kafka, redis: Redis, producer: Producer): Promise<{ close(): Promise<void> }> {
  const accept = new AcceptPaidOrder({ queues: new RedisStoreQueues(redis), events: new KafkaKitchenEvents(producer), clock: { now: () => new Date() } });
  const consumer = await consumeFromNow(kafka, 'bench-baseline-kitchen', BASELINE_TOPICS.orderEvents, (value) => accept.execute(OrderPlaced.parse(JSON.parse(value))));
  return { close: () => consumer.disconnect() };
}
