import { AppId } from '@burger/contracts';
import { createDaprClient, createLogger, createServiceApp, mountSubscriptions, serveGracefully, sidecarReady } from '@burger/service-kit';
import { AcceptPaidOrder } from './application/accept-paid-order.js';
import { GetStoreQueue } from './application/get-store-queue.js';
import { DaprStoreQueueRepository } from './adapters/dapr/store-queue-repository.js';
import { orderEventsSubscription } from './adapters/events/order-events.js';
import { mountStoreRoutes } from './adapters/http/routes.js';

/** Composition root of the store (kitchen) context. */
const logger = createLogger(AppId.store);
const queues = new DaprStoreQueueRepository(createDaprClient());
const acceptPaidOrder = new AcceptPaidOrder({ queues, clock: { now: () => new Date() } });

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, [orderEventsSubscription(acceptPaidOrder, logger)]);
mountStoreRoutes(app, { getStoreQueue: new GetStoreQueue(queues) });
serveGracefully(app, { port: Number(process.env.APP_PORT ?? 3003), logger, markDraining });
