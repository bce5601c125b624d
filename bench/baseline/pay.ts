import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Producer } from 'kafkajs';
import sqliteWasm from 'node-sqlite3-wasm';
import type { PaymentEvent } from '@burger/contracts';
import { stampEvent } from '@burger/service-kit';
import { ApprovePayment, PaymentAlreadyRecorded, type Payment, type PaymentRepository } from '@burger/pay/in-process';
import { publish } from './connections.js';
import { BASELINE_TOPICS } from './order.js';

/** pay's approve use case (the same application code) on a SQLite file, as the local payment store is, and Kafka. */
const { Database } = sqliteWasm;
type Database = InstanceType<typeof Database>;

/** Like pay's repository, insert also announces PaymentApproved (here straight to Kafka, after the row). */
class SqlitePayments implements Pick<PaymentRepository, 'findByOrder' | 'insert'> {
  constructor(
    private readonly db: Database,
    private readonly producer: Producer,
  ) {}

  async findByOrder(orderId: string): Promise<Payment | undefined> {
    const row = this.db.get('SELECT body FROM payments WHERE order_id = ?', [orderId]) as { body: string } | null;
    return row ? (JSON.parse(row.body) as Payment) : undefined;
  }

  async insert(payment: Payment): Promise<void> {
    const result = this.db.run('INSERT OR IGNORE INTO payments (order_id, body) VALUES (?, ?)', [payment.orderId, JSON.stringify(payment)]);
    if (result.changes === 0) throw new PaymentAlreadyRecorded(payment.orderId);
    await this.approved(payment);
  }

  private async approved(payment: Payment): Promise<void> {
    const { orderId, customerId, storeId, paymentId, amountCents } = payment;
    const event = stampEvent<Extract<PaymentEvent, { type: 'PaymentApproved' }>>(
      { type: 'PaymentApproved', orderId, customerId, storeId, paymentId, amountCents },
      { now: new Date(payment.approvedAt), onceKey: `PaymentApproved:${orderId}` },
    );
    await publish(this.producer, BASELINE_TOPICS.paymentEvents, orderId, event);
  }
}

export function startBaselinePay(file: string, producer: Producer, port: number): { url: string; close(): void } {
  const db = new Database(file);
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS payments (order_id TEXT PRIMARY KEY, body TEXT NOT NULL)');
  const payments = new SqlitePayments(db, producer) as unknown as PaymentRepository; // only the two methods ApprovePayment calls
  const approve = new ApprovePayment({ payments, clock: { now: () => new Date() }, ids: { next: () => randomUUID() } });
  const app = new Hono();
  app.post('/payments', async (c) => {
    const { payment, created } = await approve.execute(await c.req.json());
    return c.json({ paymentId: payment.paymentId }, created ? 201 : 200);
  });
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.close();
      db.close();
    },
  };
}
