import type { Hono } from 'hono';
import { z } from 'zod';
import type { Context } from 'hono';
import { CancelOrderRequest, IDEMPOTENCY_KEY_HEADER, IdempotencyHeaders, PlaceOrderRequest } from '@burger/contracts';
import { parseJsonBody, parseOrProblem, parseParams } from '@burger/service-kit';
import { cancellationsRequested, ordersPlaced, rethrowAsProblem, toDetails } from '../order-outcomes.js';
import type { OrderUseCases } from '../../application/use-cases.js';

const OrderIdParam = z.object({ orderId: z.uuid() });

/** The caller's Idempotency-Key, if it sent one (a bad one is a 400 naming the header). */
const idempotencyKeyOf = (c: Context) =>
  parseOrProblem(IdempotencyHeaders, { [IDEMPOTENCY_KEY_HEADER]: c.req.header(IDEMPOTENCY_KEY_HEADER) }, 'header')[IDEMPOTENCY_KEY_HEADER];

/** REST inbound adapter: HTTP in, use case, contract-shaped JSON out. */
export function mountOrderRoutes(app: Hono, useCases: OrderUseCases): void {
  app.get('/menu', (c) => c.json({ items: useCases.menu.all() }));

  app.post('/orders', async (c) => {
    const key = idempotencyKeyOf(c);
    const request = await parseJsonBody(c, PlaceOrderRequest);
    const order = await useCases.placements.run(() => useCases.ordering.place(request, key)).catch(rethrowAsProblem);
    ordersPlaced.inc();
    c.header('location', `/orders/${order.orderId}`);
    return c.json(toDetails(order), 201);
  });

  app.get('/orders/:orderId', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const order = await useCases.getOrder.execute(orderId).catch(rethrowAsProblem);
    return c.json(toDetails(order));
  });

  // 202: the store has the last word (it alone knows whether cooking started); follow the order for the outcome.
  app.post('/orders/:orderId/cancel', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const key = idempotencyKeyOf(c);
    const { customerId } = await parseJsonBody(c, CancelOrderRequest);
    const order = await useCases.ordering.cancel({ orderId, customerId }, key).catch(rethrowAsProblem);
    cancellationsRequested.inc();
    return c.json(toDetails(order), 202);
  });
}
