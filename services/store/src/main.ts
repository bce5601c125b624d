import { AppId, Component } from '@burger/contracts';
import {
  createLogger,
  createServiceApp,
  DaprStateStore,
  mountSubscriptions,
  Outbox,
  requiredPort,
  serveGracefully,
  sidecarReady,
} from '@burger/service-kit';
import { AcceptPaidOrder } from './application/accept-paid-order.js';
import { DecideCancellation } from './application/decide-cancellation.js';
import { GetStoreQueue } from './application/get-store-queue.js';
import { KitchenSteps } from './application/kitchen-steps.js';
import { DaprBranchBoards } from './adapters/dapr/branch-boards.js';
import { DaprKitchenTickets } from './adapters/dapr/kitchen-tickets.js';
import { autoKitchenFromEnv } from './adapters/auto-kitchen.js';
import { orderEventsSubscription } from './adapters/events/order-events.js';
import { faultInjection } from './adapters/http/fault-injection.js';
import { mountStoreRoutes } from './adapters/http/routes.js';

/** Composition root of the store (kitchen) context. */
const logger = createLogger(AppId.store);
const store = new DaprStateStore<unknown>(Component.storeQueue);
const outbox = new Outbox(store, logger);
const clock = { now: () => new Date() };
// A crash point for the outbox crash test only; without STORE_FAULT_INJECTION=on there is none.
const faults = process.env.STORE_FAULT_INJECTION === 'on' ? faultInjection(logger) : undefined;
const deps = { tickets: new DaprKitchenTickets(store, outbox, clock, faults?.hooks), boards: new DaprBranchBoards(store), clock };
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
mountStoreRoutes(app, { getStoreQueue: new GetStoreQueue(deps), kitchenSteps, tickets: deps.tickets });
faults?.mount(app);
// Publishes what a ticket still owes after a crash or a broker outage between its write and the relay.
outbox.start();
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining, onClosed: () => outbox.stop() });
