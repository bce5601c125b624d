import { randomUUID } from 'node:crypto';
import { AppId } from '@burger/contracts';
import { createDaprClient, createLogger, createServiceApp, mountSubscriptions, runPeriodically, serveGracefully, sidecarReady } from '@burger/service-kit';
import { STANDARD_MENU } from './domain/menu.js';
import { CancelOrder } from './application/cancel-order.js';
import { FollowKitchen } from './application/follow-kitchen.js';
import { GetOrder } from './application/get-order.js';
import { PlaceOrder } from './application/place-order.js';
import { SettleAbandonedPayments } from './application/settle-abandoned-payments.js';
import { DaprFavoriteStores } from './adapters/dapr/favorite-stores.js';
import { DaprOrderRepository } from './adapters/dapr/order-repository.js';
import { DaprPaymentGateway } from './adapters/dapr/payment-gateway.js';
import { orderSubscriptions } from './adapters/events/subscriptions.js';
import { faultInjection } from './adapters/http/fault-injection.js';
import { startOrderGrpc } from './adapters/grpc/order-grpc.js';
import { mountOrderRoutes } from './adapters/http/routes.js';

/** Composition root: the only file that knows which adapter serves which port. */
const logger = createLogger(AppId.order);
const dapr = createDaprClient();
// Crash points for the outbox test only; without ORDER_FAULT_INJECTION=on there are none.
const faults = process.env.ORDER_FAULT_INJECTION === 'on' ? faultInjection(logger) : undefined;
const orders = new DaprOrderRepository(dapr, logger, faults?.hooks);
const favorites = new DaprFavoriteStores(dapr);
const payments = new DaprPaymentGateway(logger);
const clock = { now: () => new Date() };
const placeOrder = new PlaceOrder({
  menu: STANDARD_MENU,
  orders,
  favorites,
  payments,
  clock,
  ids: { next: () => randomUUID() },
  onCompensationFailed: (orderId, error) => logger.error({ orderId, err: error }, 'charged but not recorded, and the refund failed: needs a person'),
});

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, orderSubscriptions({ followKitchen: new FollowKitchen(orders), favorites, logger }));
const useCases = { placeOrder, getOrder: new GetOrder(orders), cancelOrder: new CancelOrder({ orders }), menu: STANDARD_MENU };
mountOrderRoutes(app, useCases);
// The same use cases over gRPC, beside REST (hexagonal: one more inbound adapter, nothing else changes).
const grpcServer = startOrderGrpc(useCases, { port: Number(process.env.ORDER_GRPC_PORT ?? 3201), appApiToken: process.env.APP_API_TOKEN, logger });
faults?.mount(app);
// Publishes events whose process died between commit and publish (including this one's previous life).
orders.outbox.start();
// A request lives at most ~10 s (pay's call budget + the store's timeout): an intent twice that old is abandoned.
const settle = new SettleAbandonedPayments({ orders, payments, clock, abandonAfterMs: Number(process.env.ABANDONED_PAYMENT_AFTER_MS ?? 20_000) });
const stopSettling = runPeriodically('settle abandoned payments', 5_000, async () => {
  const { settled, failed } = await settle.execute();
  if (settled.length > 0) logger.warn({ refunded: settled }, 'refunded charges whose order was never stored');
  if (failed.length > 0) logger.warn({ failed: failed.length, first: failed[0] }, 'refunds of abandoned charges failed; trying again next round');
}, logger);
serveGracefully(app, {
  port: Number(process.env.APP_PORT ?? 3001),
  logger,
  markDraining,
  onClosed: async () => {
    const grpc = await grpcServer;
    await new Promise<void>((stopped) => grpc.tryShutdown(() => stopped()));
    stopSettling();
    await orders.outbox.stop();
  },
});
