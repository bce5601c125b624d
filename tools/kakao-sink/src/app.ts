import { appendFileSync } from 'node:fs';
import { Hono } from 'hono';
import { KakaoMessage } from '@burger/contracts';

export interface ReceivedMessage {
  idempotencyKey: string;
  receivedAt: string;
  body: KakaoMessage;
  /**
   * How many times it was sent. A resend after a crash (same key) is shown once, but
   * counted: a redelivered event must not send again, and tests check this is 1.
   */
  attempts: number;
}

export interface SinkOptions {
  /** When set, requests must carry `Authorization: Bearer <token>`, as the real API demands. */
  token?: string;
  /** When set, every accepted message is appended here as one JSON line. */
  logFile?: string;
}

/**
 * Accepts KakaoTalk "send to friends" calls, de-duplicated on the
 * Idempotency-Key header (so a sender that retries after a crash is seen once),
 * and shows what it received on GET /messages.
 */
export function createSinkApp(options: SinkOptions = {}): Hono {
  const received: ReceivedMessage[] = [];
  const byKey = new Map<string, ReceivedMessage>();
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/messages', (c) => {
    const receiver = c.req.query('receiver');
    return c.json({ messages: receiver ? received.filter((m) => m.body.receiver_uuids.includes(receiver)) : received });
  });

  app.post('/v1/api/talk/friends/message/default/send', async (c) => {
    if (options.token && c.req.header('authorization') !== `Bearer ${options.token}`)
      return c.json({ msg: 'invalid token', code: -401 }, 401);
    const parsed = KakaoMessage.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
      return c.json({ msg: `invalid message: ${fields.map((f) => f.field).join(', ')}`, code: -2, fields }, 400);
    }
    const idempotencyKey = c.req.header('idempotency-key') ?? crypto.randomUUID();
    const known = byKey.get(idempotencyKey);
    if (known) known.attempts += 1;
    else {
      const message = { idempotencyKey, receivedAt: new Date().toISOString(), body: parsed.data, attempts: 1 };
      byKey.set(idempotencyKey, message);
      received.push(message);
      if (options.logFile) appendFileSync(options.logFile, `${JSON.stringify(message)}\n`);
    }
    return c.json({ successful_receiver_uuids: byKey.get(idempotencyKey)!.body.receiver_uuids });
  });
  return app;
}
