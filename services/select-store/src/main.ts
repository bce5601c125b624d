import { AppId } from '@burger/contracts';
import { createLogger, createServiceApp, requiredPort, serveGracefully, sidecarReady } from '@burger/service-kit';
import { SelectFavorite } from './application/select-favorite.js';
import { DaprFavoriteRepository } from './adapters/dapr/favorites.js';
import { mountSelectStoreRoutes } from './adapters/http/routes.js';

/** Composition root of select-store (supporting domain: a customer's preferred branch). */
const logger = createLogger(AppId.selectStore);
const favorites = new DaprFavoriteRepository(logger);
const selectFavorite = new SelectFavorite({ favorites, clock: { now: () => new Date() } });

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSelectStoreRoutes(app, selectFavorite);
// Publishes choices whose process died between the write and the publish.
favorites.outbox.start();
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining, onClosed: () => favorites.outbox.stop() });
