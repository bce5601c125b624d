import type { Redis } from 'ioredis';
import type { Kafka, Producer } from 'kafkajs';
import { OrderPlaced, type StoreEvent } from '@burger/contracts';
import { ConcurrentWriteError, stampEvent } from '@burger/service-kit';
import {
  AcceptPaidOrder,
  emptyBoard,
  type BranchBoard,
  type BranchBoards,
  type KitchenTicket,
  type KitchenTickets,
  type TicketChange,
  type TicketRead,
  type TicketVersion,
  type VersionedBoard,
} from '@burger/store/in-process';
import { consumeFromNow, publish } from './connections.js';
import { BASELINE_TOPICS } from './order.js';

/**
 * Compare-and-set on a hash {data, version}: the check-and-write Dapr's Redis state store
 * performs for an ETag, done here by the driver in one script (version '' = only if new).
 */
const SAVE_IF_UNCHANGED = `
local current = redis.call('HGET', KEYS[1], 'version')
if (current or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'version', tostring((tonumber(current) or 0) + 1))
return 1`;

async function load(redis: Redis, key: string): Promise<{ value?: unknown; version: string }> {
  const [data, version] = await redis.hmget(key, 'data', 'version');
  return data ? { value: JSON.parse(data), version: version ?? '' } : { version: '' };
}

async function saveIfUnchanged(redis: Redis, key: string, value: unknown, version: string): Promise<boolean> {
  return (await redis.eval(SAVE_IF_UNCHANGED, 1, key, version, JSON.stringify(value))) === 1;
}

/**
 * store's accept-paid-order use case (the same application code) on Redis and Kafka directly: a ticket per
 * order and a board per branch, as the store keeps them; OrderQueued goes straight to Kafka after the
 * ticket's write (no outbox here: the baseline measures the plain path).
 */
class RedisKitchenTickets implements Pick<KitchenTickets, 'read' | 'write'> {
  constructor(
    private readonly redis: Redis,
    private readonly producer: Producer,
  ) {}

  async read(orderId: string): Promise<TicketRead> {
    const { value, version } = await load(this.redis, `bench:ticket-${orderId}`);
    return { ticket: value as KitchenTicket | undefined, version: version as unknown as TicketVersion };
  }

  async write(read: TicketRead, { ticket, announces }: TicketChange): Promise<void> {
    if (announces.type !== 'OrderQueued') throw new Error('only OrderQueued is part of the benchmarked flow');
    if (!(await saveIfUnchanged(this.redis, `bench:ticket-${ticket.orderId}`, ticket, read.version as unknown as string)))
      throw new ConcurrentWriteError(`bench:ticket-${ticket.orderId}`);
    const { orderId, customerId, storeId } = ticket;
    const event = stampEvent<Extract<StoreEvent, { type: 'OrderQueued' }>>(
      { type: 'OrderQueued', orderId, customerId, storeId },
      { onceKey: `OrderQueued:${orderId}` },
    );
    await publish(this.producer, BASELINE_TOPICS.storeEvents, orderId, event);
  }
}

class RedisBranchBoards implements BranchBoards {
  constructor(private readonly redis: Redis) {}

  async load(storeId: string): Promise<VersionedBoard> {
    const { value, version } = await load(this.redis, `bench:branch-${storeId}`);
    return value ? { board: value as BranchBoard, version } : { board: emptyBoard(storeId) };
  }

  async save(board: BranchBoard, version: string | undefined): Promise<void> {
    if (!(await saveIfUnchanged(this.redis, `bench:branch-${board.storeId}`, board, version ?? '')))
      throw new ConcurrentWriteError(`bench:branch-${board.storeId}`);
  }
}

/** Consumes order events as store's subscription does (one consumer group, each partition in order). */
export async function startBaselineKitchen(kafka: Kafka, redis: Redis, producer: Producer): Promise<{ close(): Promise<void> }> {
  const tickets = new RedisKitchenTickets(redis, producer) as unknown as KitchenTickets; // only the two methods AcceptPaidOrder calls
  const accept = new AcceptPaidOrder({ tickets, boards: new RedisBranchBoards(redis), clock: { now: () => new Date() } });
  const consumer = await consumeFromNow(kafka, 'bench-baseline-kitchen', BASELINE_TOPICS.orderEvents, (value) =>
    accept.execute(OrderPlaced.parse(JSON.parse(value))),
  );
  return { close: () => consumer.disconnect() };
}
