import { randomUUID } from 'node:crypto';
import { AppId } from '@burger/contracts';
import {
  Bulkhead,
  createLogger,
  createServiceApp,
  mountSubscriptions,
  requiredPort,
  runPeriodically,
  serveGracefully,
  sidecarReady,
} from '@burger/service-kit';
import { STANDARD_MENU } from './domain/menu.js';
import { abandonedPaymentAfterMs } from './budget-check.js';
import { CancelOrder } from './application/cancel-order.js';
import { FollowKitchen } from './application/follow-kitchen.js';
import { GetOrder } from './application/get-order.js';
import { IdempotentOrdering } from './application/idempotent-ordering.js';
import { PlaceOrder } from './application/place-order.js';
import { SettleAbandonedPayments } from './application/settle-abandoned-payments.js';
import { DaprFavoriteStores } from './adapters/dapr/favorite-stores.js';
import { DaprIdempotencyRecords } from './adapters/dapr/idempotency-records.js';
import { DaprOrderRepository } from './adapters/dapr/order-repository.js';
import { DaprPaymentGateway } from './adapters/dapr/payment-gateway.js';
import { orderSubscriptions } from './adapters/events/subscriptions.js';
import { faultInjection } from './adapters/http/fault-injection.js';
import { startOrderGrpc } from './adapters/grpc/order-grpc.js';
import { mountOrderRoutes } from './adapters/http/routes.js';

/** Composition root: the only file that knows which adapter serves which port. */
const logger = createLogger(AppId.order);
// Refuse to start rather than sweep (refund) the payments of requests that are still running.
const abandonAfterMs = (() => {
  try {
    return abandonedPaymentAfterMs(process.env.ABANDONED_PAYMENT_AFTER_MS);
  } catch (error) {
    logger.fatal(`refusing to start: ${(error as Error).message}`);
    process.exit(1);
  }
})();
// Crash points for the outbox test only; without ORDER_FAULT_INJECTION=on there are none.
const faults = process.env.ORDER_FAULT_INJECTION === 'on' ? faultInjection(logger) : undefined;
const orders = new DaprOrderRepository(logger, faults?.hooks);
const favorites = new DaprFavoriteStores();
const payments = new DaprPaymentGateway(logger);
const clock = { now: () => new Date() };
const ids = { next: () => randomUUID() };
const placeOrder = new PlaceOrder({
  menu: STANDARD_MENU,
  orders,
  favorites,
  payments,
  clock,
  ids,
  onCompensationFailed: (orderId, error) =>
    logger.error({ orderId, err: error }, 'charged but never recorded, and the refund failed: the abandoned-payment sweep tries again'),
});
const ordering = new IdempotentOrdering({
  records: new DaprIdempotencyRecords(),
  orders,
  placeOrder,
  cancelOrder: new CancelOrder({ orders }),
  clock,
  ids,
  // An attempt older than the sweep's threshold is over (the sweep may refund its charge), so another may take its key.
  leaseMs: abandonAfterMs,
  // A double tap waits for the first answer this long, well inside the gateway's budget; then 409, retry.
  waitMs: 5_000,
  onRecordFailed: (error) =>
    logger.warn({ err: error }, 'could not note the answer on its idempotency key; the key frees itself when its lease ends'),
});

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, orderSubscriptions({ followKitchen: new FollowKitchen(orders), favorites, logger }));
// At most this many placements at once per replica, a bounded queue behind them (waiting well inside the
// gateway's budget), refused beyond: on a saturated machine that keeps each payment fast enough for pay's
// timeout, where letting everyone in made them all slow and tripped pay's breaker for everyone.
const placements = new Bulkhead({ maxConcurrent: Number(process.env.ORDER_PLACEMENTS_AT_ONCE ?? 8), maxWaiting: 256, maxWaitMs: 4_000 });
const useCases = { ordering, placements, getOrder: new GetOrder(orders), menu: STANDARD_MENU };
mountOrderRoutes(app, useCases);
// The same use cases over gRPC, beside REST (hexagonal: one more inbound adapter, nothing else changes).
const grpcServer = startOrderGrpc(useCases, { port: requiredPort('ORDER_GRPC_PORT'), appApiToken: process.env.APP_API_TOKEN, logger });
faults?.mount(app);
// Publishes events whose process died between commit and publish (including this one's previous life).
orders.outbox.start();
// Older than the longest a live request can take (derived from the budgets, checked above): abandoned.
const settle = new SettleAbandonedPayments({ orders, payments, clock, abandonAfterMs });
const stopSettling = runPeriodically(
  'settle abandoned payments',
  5_000,
  async () => {
    const { settled, failed } = await settle.execute();
    if (settled.length > 0) logger.warn({ refunded: settled }, 'refunded charges whose order was never stored');
    if (failed.length > 0)
      logger.warn({ failed: failed.length, first: failed[0] }, 'refunds of abandoned charges failed; trying again next round');
  },
  logger,
);
serveGracefully(app, {
  port: requiredPort('APP_PORT'),
  logger,
  markDraining,
  onClosed: async () => {
    const grpc = await grpcServer;
    await new Promise<void>((stopped) => grpc.tryShutdown(() => stopped()));
    stopSettling();
    await orders.outbox.stop();
    await orders.flushReleases().catch((error: unknown) => logger.warn({ err: error }, 'could not write intent releases'));
  },
});
