import { AppId } from '@burger/contracts';
import { createDaprClient, createLogger, createServiceApp, mountSubscriptions, serveGracefully, sidecarReady } from '@burger/service-kit';
import { AcceptPaidOrder } from './application/accept-paid-order.js';
import { DecideCancellation } from './application/decide-cancellation.js';
import { GetStoreQueue } from './application/get-store-queue.js';
import { KitchenSteps } from './application/kitchen-steps.js';
import { DaprKitchenEvents } from './adapters/dapr/kitchen-events.js';
import { DaprStoreQueueRepository } from './adapters/dapr/store-queue-repository.js';
import { autoKitchenFromEnv } from './adapters/auto-kitchen.js';
import { orderEventsSubscription } from './adapters/events/order-events.js';
import { mountStoreRoutes } from './adapters/http/routes.js';

/** Composition root of the store (kitchen) context. */
const logger = createLogger(AppId.store);
const dapr = createDaprClient();
const deps = { queues: new DaprStoreQueueRepository(dapr), events: new DaprKitchenEvents(), clock: { now: () => new Date() } };
const kitchenSteps = new KitchenSteps(deps);

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, [
  orderEventsSubscription({
    acceptPaidOrder: new AcceptPaidOrder(deps),
    decideCancellation: new DecideCancellation(deps),
    logger,
    onQueued: autoKitchenFromEnv(process.env, kitchenSteps, logger),
  }),
]);
mountStoreRoutes(app, { getStoreQueue: new GetStoreQueue(deps.queues), kitchenSteps });
serveGracefully(app, { port: Number(process.env.APP_PORT ?? 3003), logger, markDraining });
