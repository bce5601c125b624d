import { randomUUID } from 'node:crypto';
import { AppId } from '@burger/contracts';
import { createDaprClient, createLogger, createServiceApp, serveGracefully, sidecarReady } from '@burger/service-kit';
import { STANDARD_MENU } from './domain/menu.js';
import { GetOrder } from './application/get-order.js';
import { PlaceOrder } from './application/place-order.js';
import { DaprOrderEvents } from './adapters/dapr/order-events.js';
import { DaprOrderRepository } from './adapters/dapr/order-repository.js';
import { DaprPaymentGateway } from './adapters/dapr/payment-gateway.js';
import { mountOrderRoutes } from './adapters/http/routes.js';

/** Composition root: the only file that knows which adapter serves which port. */
const logger = createLogger(AppId.order);
const dapr = createDaprClient();
const orders = new DaprOrderRepository(dapr);
const placeOrder = new PlaceOrder({
  menu: STANDARD_MENU,
  orders,
  payments: new DaprPaymentGateway(logger),
  events: new DaprOrderEvents(dapr),
  clock: { now: () => new Date() },
  ids: { next: () => randomUUID() },
});

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountOrderRoutes(app, { placeOrder, getOrder: new GetOrder(orders), menu: STANDARD_MENU });
serveGracefully(app, { port: Number(process.env.APP_PORT ?? 3001), logger, markDraining });
