import { randomUUID } from 'node:crypto';
import { AppId } from '@burger/contracts';
import { createDaprClient, createLogger, createServiceApp, mountSubscriptions, serveGracefully, sidecarReady } from '@burger/service-kit';
import { STANDARD_MENU } from './domain/menu.js';
import { CancelOrder } from './application/cancel-order.js';
import { FollowKitchen } from './application/follow-kitchen.js';
import { GetOrder } from './application/get-order.js';
import { PlaceOrder } from './application/place-order.js';
import { DaprFavoriteStores } from './adapters/dapr/favorite-stores.js';
import { DaprOrderEvents } from './adapters/dapr/order-events.js';
import { DaprOrderRepository } from './adapters/dapr/order-repository.js';
import { DaprPaymentGateway } from './adapters/dapr/payment-gateway.js';
import { orderSubscriptions } from './adapters/events/subscriptions.js';
import { mountOrderRoutes } from './adapters/http/routes.js';

/** Composition root: the only file that knows which adapter serves which port. */
const logger = createLogger(AppId.order);
const dapr = createDaprClient();
const orders = new DaprOrderRepository(dapr);
const favorites = new DaprFavoriteStores(dapr);
const events = new DaprOrderEvents(dapr);
const placeOrder = new PlaceOrder({
  menu: STANDARD_MENU,
  orders,
  favorites,
  payments: new DaprPaymentGateway(logger),
  events,
  clock: { now: () => new Date() },
  ids: { next: () => randomUUID() },
  onCompensationFailed: (orderId, error) => logger.error({ orderId, err: error }, 'charged but not recorded, and the refund failed: needs a person'),
});

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, orderSubscriptions({ followKitchen: new FollowKitchen(orders), favorites, logger }));
mountOrderRoutes(app, { placeOrder, getOrder: new GetOrder(orders), cancelOrder: new CancelOrder({ orders, events }), menu: STANDARD_MENU });
serveGracefully(app, { port: Number(process.env.APP_PORT ?? 3001), logger, markDraining });
