import type { Hono } from 'hono';
import { z } from 'zod';
import type { Context } from 'hono';
import { CancelOrderRequest, IDEMPOTENCY_KEY_HEADER, IdempotencyHeaders, PlaceOrderRequest } from '@burger/contracts';
import { parseJsonBody, parseOrProblem, parseParams, type Bulkhead } from '@burger/service-kit';
import type { Menu } from '../../domain/menu.js';
import { cancellationsRequested, ordersPlaced, rethrowAsProblem, toView } from '../order-outcomes.js';
import type { GetOrder } from '../../application/get-order.js';
import type { IdempotentOrdering } from '../../application/idempotent-ordering.js';

const OrderIdParam = z.object({ orderId: z.uuid() });

export interface OrderUseCases {
  /** Place and cancel, safe to retry under an idempotency key. */
  ordering: IdempotentOrdering;
  /** Placements in progress in this replica at once (a bulkhead in front of pay: overload is a quick 503, not a timeout). */
  placements: Bulkhead;
  getOrder: GetOrder;
  menu: Menu;
}

/** The caller's Idempotency-Key, if it sent one (a bad one is a 400 naming the header). */
const idempotencyKeyOf = (c: Context) => parseOrProblem(IdempotencyHeaders, { [IDEMPOTENCY_KEY_HEADER]: c.req.header(IDEMPOTENCY_KEY_HEADER) }, 'header')[IDEMPOTENCY_KEY_HEADER];

/** REST inbound adapter: HTTP in, use case, contract-shaped JSON out. */
export function mountOrderRoutes(app: Hono, useCases: OrderUseCases): void {
  app.get('/menu', (c) => c.json({ items: useCases.menu.all() }));

  app.post('/orders', async (c) => {
    const key = idempotencyKeyOf(c);
    const request = await parseJsonBody(c, PlaceOrderRequest);
    const order = await useCases.placements.run(() => useCases.ordering.place(request, key)).catch(rethrowAsProblem);
    ordersPlaced.inc();
    c.header('location', `/orders/${order.orderId}`);
    return c.json(toView(order), 201);
  });

  app.get('/orders/:orderId', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const order = await useCases.getOrder.execute(orderId).catch(rethrowAsProblem);
    return c.json(toView(order));
  });

  // 202: the store has the last word (it alone knows whether cooking started); follow the order for the outcome.
  app.post('/orders/:orderId/cancel', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const key = idempotencyKeyOf(c);
    const { customerId } = await parseJsonBody(c, CancelOrderRequest);
    const order = await useCases.ordering.cancel({ orderId, customerId }, key).catch(rethrowAsProblem);
    cancellationsRequested.inc();
    return c.json(toView(order), 202);
  });
}

