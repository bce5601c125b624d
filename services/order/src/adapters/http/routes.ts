import type { Hono } from 'hono';
import { z } from 'zod';
import { CancelOrderRequest, OrderView, PlaceOrderRequest } from '@burger/contracts';
import { businessCounter, parseJsonBody, parseParams, Problem } from '@burger/service-kit';
import { CancellationRefused, IllegalTransition, UnknownMenuItem, type OrderSnapshot } from '../../domain/order.js';
import type { Menu } from '../../domain/menu.js';
import { NoStoreChosen, OrderNotFound, PaymentDeclined, PaymentUnavailable } from '../../application/errors.js';
import type { CancelOrder } from '../../application/cancel-order.js';
import type { GetOrder } from '../../application/get-order.js';
import type { PlaceOrder } from '../../application/place-order.js';

const OrderIdParam = z.object({ orderId: z.uuid() });

const ordersPlaced = businessCounter('burger_orders_placed_total', 'Orders placed (paid and recorded)');
const cancellationsRequested = businessCounter('burger_order_cancellations_requested_total', 'Cancellations customers asked for');
/** Rises while the payment circuit breaker is open: the fallback answer, not an error of ours. */
const paymentFallbacks = businessCounter('burger_payment_fallbacks_total', 'Orders answered "payment busy, try again shortly"');

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

function toView(order: OrderSnapshot): OrderView {
  return OrderView.parse(order);
}

/** The one place where ordering's failures get their HTTP meaning. */
function rethrowAsProblem(error: unknown): never {
  if (error instanceof UnknownMenuItem) throw fieldProblem(`lines.${error.lineIndex}.menuItemId`, error.message);
  if (error instanceof NoStoreChosen) throw fieldProblem('storeId', error.message);
  if (error instanceof OrderNotFound) throw new Problem(404, 'order_not_found', error.message);
  if (error instanceof CancellationRefused) throw new Problem(409, 'cancellation_refused', error.message, { status: error.status });
  if (error instanceof IllegalTransition) throw new Problem(409, 'illegal_transition', error.message);
  if (error instanceof PaymentDeclined) throw new Problem(402, 'payment_declined', `${error.message}. No order was created.`);
  if (error instanceof PaymentUnavailable) {
    paymentFallbacks.inc();
    throw new Problem(503, 'payment_unavailable', 'Payment is busy, please try again shortly. No order was created and nothing was charged.', {}, {
      'retry-after': String(error.retryAfterSeconds),
    });
  }
  throw error;
}

function fieldProblem(field: string, message: string): Problem {
  return new Problem(400, 'validation_failed', `Invalid request body: ${field}: ${message}`, { fields: [{ field, message }] });
}
