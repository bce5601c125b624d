import type { Hono } from 'hono';
import { z } from 'zod';
import { CancelOrderRequest, PlaceOrderRequest } from '@burger/contracts';
import { parseJsonBody, parseParams } from '@burger/service-kit';
import type { Menu } from '../../domain/menu.js';
import { cancellationsRequested, ordersPlaced, rethrowAsProblem, toView } from '../order-outcomes.js';
import type { CancelOrder } from '../../application/cancel-order.js';
import type { GetOrder } from '../../application/get-order.js';
import type { PlaceOrder } from '../../application/place-order.js';

const OrderIdParam = z.object({ orderId: z.uuid() });

export interface OrderUseCases {
  placeOrder: PlaceOrder;
  getOrder: GetOrder;
  cancelOrder: CancelOrder;
  menu: Menu;
}

/** REST inbound adapter: HTTP in, use case, contract-shaped JSON out. */
export function mountOrderRoutes(app: Hono, useCases: OrderUseCases): void {
  app.get('/menu', (c) => c.json({ items: useCases.menu.all() }));

  app.post('/orders', async (c) => {
    const request = await parseJsonBody(c, PlaceOrderRequest);
    const order = await useCases.placeOrder.execute(request).catch(rethrowAsProblem);
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
    const { customerId } = await parseJsonBody(c, CancelOrderRequest);
    const order = await useCases.cancelOrder.execute({ orderId, customerId }).catch(rethrowAsProblem);
    cancellationsRequested.inc();
    return c.json(toView(order), 202);
  });
}

