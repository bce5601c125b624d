import { AppId } from '@burger/contracts';
import { createLogger, createServiceApp, mountSubscriptions, requiredPort, serveGracefully, sidecarReady } from '@burger/service-kit';
import { ProjectEvent } from './application/project-event.js';
import { DaprViewStorage } from './adapters/dapr/view-storage.js';
import { viewSubscriptions } from './adapters/events/subscriptions.js';
import { mountViewRoutes } from './adapters/http/routes.js';
import { EmitterViewChanges } from './adapters/live-changes.js';

/** Composition root of the CQRS read side. */
const logger = createLogger(AppId.orderView);
const storage = new DaprViewStorage();
const changes = new EmitterViewChanges();

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSubscriptions(app, logger, viewSubscriptions(new ProjectEvent({ storage, changes })));
mountViewRoutes(app, { storage, changes });
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining });
