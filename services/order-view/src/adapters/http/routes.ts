import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { CustomerId, PageQuery } from '@burger/contracts';
import { parseParams, parseQuery, Problem } from '@burger/service-kit';
import { isPlaced, type OrderSummary } from '../../domain/order-summary.js';
import type { ViewChanges, ViewStorage } from '../../application/ports.js';

const OrderIdParam = z.object({ orderId: z.uuid() });
const CustomerIdParam = z.object({ customerId: CustomerId });
const HEARTBEAT_MS = 15_000;

/** The read side's API: status and timeline at any time, lists per customer, and live streams. */
export function mountViewRoutes(app: Hono, deps: { storage: ViewStorage; changes: ViewChanges }): void {
  const { storage, changes } = deps;
  const placedSummary = async (orderId: string) => {
    const stored = await storage.summary(orderId);
    return stored && isPlaced(stored.value) ? stored.value : undefined;
  };

  app.get('/orders/:orderId', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const summary = await placedSummary(orderId);
    if (!summary)
      throw new Problem(404, 'order_not_found', `No order ${orderId} in the view (yet: a just-placed order appears within moments)`);
    return c.json(summary);
  });

  app.get('/customers/:customerId/orders', async (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    const { lines, nextCursor } = await storage.customerOrders(customerId, parseQuery(c, PageQuery));
    return c.json({ customerId, orders: lines, ...(nextCursor ? { nextCursor } : {}) });
  });

  app.get('/orders/:orderId/stream', (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    return stream(
      c,
      changes,
      (s) => s.orderId === orderId,
      () => placedSummary(orderId),
    );
  });

  app.get('/customers/:customerId/orders/stream', (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    return stream(
      c,
      changes,
      (s) => s.customerId === customerId,
      async () => (await storage.customerOrders(customerId, { limit: 50 })).lines,
    );
  });
}

/** Server-Sent Events: a `snapshot` first, then a `status` event per change, and a heartbeat to keep proxies from closing it. */
function stream(
  c: Parameters<typeof streamSSE>[0],
  changes: ViewChanges,
  wanted: (s: OrderSummary) => boolean,
  snapshot: () => Promise<unknown>,
) {
  return streamSSE(c, async (sse) => {
    const pending: OrderSummary[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = changes.subscribe((summary) => {
      if (!wanted(summary)) return;
      pending.push(summary);
      wake?.();
    });
    let open = true;
    sse.onAbort(() => {
      open = false;
      unsubscribe();
      wake?.();
    });
    await sse.writeSSE({ event: 'snapshot', data: JSON.stringify((await snapshot()) ?? null) });
    while (open) {
      const summary = pending.shift();
      if (summary) {
        await sse.writeSSE({ event: 'status', data: JSON.stringify(summary), id: summary.updatedAt });
        continue;
      }
      await new Promise<void>((resume) => {
        wake = resume;
        setTimeout(resume, HEARTBEAT_MS).unref();
      });
      wake = undefined;
      if (open && pending.length === 0) await sse.write(': heartbeat\n\n');
    }
  });
}
