import { createLogger, createServiceApp, mountSubscriptions, requiredPort, serveGracefully, sidecarReady } from '@burger/service-kit';
import { LearnTastes } from './application/learn-tastes.js';
import { DaprTallyStore } from './adapters/dapr/tally-store.js';
import { orderEventsSubscription } from './adapters/events/order-events.js';
import { mountMarketingRoutes } from './adapters/http/routes.js';

/** Composition root of marketing: the new team, joined by subscribing to order-events only. */
// Its app-id lives here only: the shared contracts do not know the new team.
const logger = createLogger('marketing');
const learnTastes = new LearnTastes(new DaprTallyStore());

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, [orderEventsSubscription(learnTastes)]);
mountMarketingRoutes(app, learnTastes);
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining });
