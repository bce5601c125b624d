import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type pg from 'pg';
import type { Producer } from 'kafkajs';
import {
  announcementEvent,
  PaymentIntentClaimed,
  PlaceOrder,
  STANDARD_MENU,
  type FavoriteStores,
  type OrderRepository,
  type OrderSnapshot,
  type PaymentGateway,
  type PaymentIntent,
} from '@burger/order/in-process';
import { publish } from './connections.js';

export const BASELINE_TOPICS = {
  orderEvents: 'bench-order-events',
  paymentEvents: 'bench-payment-events',
  storeEvents: 'bench-store-events',
} as const;

/**
 * order's place-order use case (the same application code) on direct adapters: the order,
 * its outbox entry and the payment intent in PostgreSQL tables, the event straight to Kafka.
 */
class PgOrderRepository implements Pick<OrderRepository, 'insert' | 'notePaymentIntent' | 'forgetPaymentIntent'> {
  constructor(
    private readonly pool: pg.Pool,
    private readonly producer: Producer,
  ) {}

  async notePaymentIntent(intent: PaymentIntent): Promise<void> {
    await this.pool.query('INSERT INTO bench_payment_intents (order_id, intent) VALUES ($1, $2)', [intent.orderId, intent]);
  }

  async forgetPaymentIntent(orderId: string): Promise<void> {
    await this.pool.query('DELETE FROM bench_payment_intents WHERE order_id = $1', [orderId]);
  }

  /** One transaction: consume the intent, store the order and its outbox entry; then relay the event. */
  async insert(order: OrderSnapshot, announcement: 'OrderPlaced'): Promise<void> {
    const event = announcementEvent(announcement, order, new Date());
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const intent = await client.query('DELETE FROM bench_payment_intents WHERE order_id = $1', [order.orderId]);
      if (intent.rowCount === 0) throw new PaymentIntentClaimed(order.orderId);
      await client.query('INSERT INTO bench_orders (order_id, body) VALUES ($1, $2)', [order.orderId, order]);
      await client.query('INSERT INTO bench_outbox (event_id, body) VALUES ($1, $2)', [event.eventId, event]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    await publish(this.producer, BASELINE_TOPICS.orderEvents, order.orderId, event);
    await this.pool.query('DELETE FROM bench_outbox WHERE event_id = $1', [event.eventId]);
  }
}

class HttpPaymentGateway implements PaymentGateway {
  constructor(private readonly payUrl: string) {}

  async approve(request: { orderId: string; customerId: string; storeId: string; amountCents: number }) {
    const response = await fetch(`${this.payUrl}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (response.status !== 201 && response.status !== 200) throw new Error(`pay answered ${response.status}`);
    return (await response.json()) as { paymentId: string };
  }

  async refund(): Promise<void> {
    throw new Error('refunds are not part of the benchmarked flow');
  }
}

/** The bench always names the branch, so the favourite-store replica is never asked. */
const noFavorites: FavoriteStores = { find: async () => undefined, remember: async () => {} };

export async function startBaselineOrder(
  pool: pg.Pool,
  producer: Producer,
  payUrl: string,
  port: number,
): Promise<{ url: string; close(): void }> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS bench_orders (order_id text PRIMARY KEY, body jsonb NOT NULL);
    CREATE TABLE IF NOT EXISTS bench_outbox (event_id text PRIMARY KEY, body jsonb NOT NULL);
    CREATE TABLE IF NOT EXISTS bench_payment_intents (order_id text PRIMARY KEY, intent jsonb NOT NULL);`);
  const orders = new PgOrderRepository(pool, producer) as unknown as OrderRepository; // only the three methods PlaceOrder calls
  const placeOrder = new PlaceOrder({
    menu: STANDARD_MENU,
    orders,
    favorites: noFavorites,
    payments: new HttpPaymentGateway(payUrl),
    clock: { now: () => new Date() },
    ids: { next: () => randomUUID() },
  });
  const app = new Hono();
  app.post('/orders', async (c) => {
    const order = await placeOrder.execute(await c.req.json());
    return c.json({ orderId: order.orderId, status: order.status }, 201);
  });
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, close: () => void server.close() };
}
