import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { consumeFromNow, localKafka } from './baseline/connections.js';
import { ascending, percentile } from './stats.js';

/**
 * Notes when each order's event of one type first appears on a topic, without polling any service. By default
 * OrderQueued: the kitchen publishes it once the order is in its branch queue (after the queue write), so
 * "accepted → OrderQueued seen" is the propagation to the store; OrderPlaced on order-events times the first leg.
 * Dapr publishes CloudEvents (the event is in `data`); the baseline, bare events.
 */
export class ArrivalWatcher {
  private readonly seenAt = new Map<string, number>();
  private consumer?: Consumer;

  constructor(
    private readonly topic: string,
    private readonly eventType = 'OrderQueued',
  ) {}

  async start(): Promise<void> {
    const consumer = await consumeFromNow(
      localKafka('bench-watcher'),
      `bench-watch-${randomUUID()}`,
      this.topic,
      (value) => {
        const parsed = JSON.parse(value) as { data?: unknown; type?: string; orderId?: string };
        const event = (parsed.data && typeof parsed.data === 'object' ? parsed.data : parsed) as { type?: string; orderId?: string };
        if (event.type === this.eventType && event.orderId && !this.seenAt.has(event.orderId)) this.seenAt.set(event.orderId, Date.now());
      },
      50,
    );
    this.consumer = consumer;
  }

  /** Waits (up to `settleMs`) for every accepted order's event to appear; p50/p99 of accepted → seen, and how many never were. */
  async propagation(accepted: ReadonlyMap<string, number>, settleMs = 30_000): Promise<{ p50: number; p99: number; missing: number }> {
    const deadline = Date.now() + settleMs;
    while (Date.now() < deadline && [...accepted.keys()].some((id) => !this.seenAt.has(id))) await new Promise((r) => setTimeout(r, 100));
    const delays = ascending([...accepted].filter(([id]) => this.seenAt.has(id)).map(([id, at]) => Math.max(0, this.seenAt.get(id)! - at)));
    return { p50: percentile(delays, 50), p99: percentile(delays, 99), missing: accepted.size - delays.length };
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
