import { request } from 'node:http';
import { Redis } from 'ioredis';
import { INFRA_HOST, INFRA_PORTS } from '@burger/launcher';
import { orderRowsWhere, paymentsOfCustomer } from './backing-stores.js';
import { stackInfo } from './stack-info.js';

/** Clears the gateway's counters (Redis db 7: per address, per account, per sign-in name), so later requests are not throttled. */
export async function forgetRateLimits(): Promise<void> {
  const redis = new Redis({ host: INFRA_HOST, port: INFRA_PORTS.redis, db: 7, password: stackInfo().secrets['redis-password'] });
  try {
    const keys = await redis.keys('gateway||rate-*');
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** What a customer has in the stores: orders in PostgreSQL, charges (refunded or not) in pay's SQLite. */
export async function writtenFor(customerId: string): Promise<{ orders: number; charges: number }> {
  const [orders, charges] = await Promise.all([orderRowsWhere(`value->>'customerId' = $1`, [customerId]), paymentsOfCustomer(customerId)]);
  return { orders: orders.length, charges: charges.length };
}

/** A stack trace, a source location or an internal id in a response body. */
export const LEAK = /\n\s+at |\.[cm]?[jt]s:\d+|node_modules|spiffe:|ERR_[A-Z_]{3,}|dapr-api-token|daprd/;

/**
 * Streams `bytes` of body without a Content-Length (chunked) and answers the status the server
 * gave, as soon as it gives one (it may answer before the body is all sent, and then close the
 * connection: the sender sees that as 'closed' when it came first).
 */
export function uploadChunked(url: string, bytes: number, headers: Record<string, string>): Promise<number | 'closed'> {
  return new Promise((settle) => {
    let answered = false;
    const outgoing = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (response) => {
      answered = true;
      response.resume();
      settle(response.statusCode ?? 0);
    });
    outgoing.on('error', () => settle('closed'));
    const chunk = Buffer.alloc(16_384, 'x');
    void (async () => {
      for (let sent = 0; sent < bytes && !answered && !outgoing.destroyed; sent += chunk.length) {
        if (!outgoing.write(chunk)) await new Promise((drained) => outgoing.once('drain', drained));
      }
      if (!outgoing.destroyed) outgoing.end();
    })();
  });
}
