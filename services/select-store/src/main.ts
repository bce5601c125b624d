import { AppId } from '@burger/contracts';
import { createDaprClient, createLogger, createServiceApp, serveGracefully, sidecarReady } from '@burger/service-kit';
import { SelectFavorite } from './application/select-favorite.js';
import { DaprFavoriteEvents, DaprFavoriteRepository } from './adapters/dapr/favorites.js';
import { mountSelectStoreRoutes } from './adapters/http/routes.js';

/** Composition root of select-store (supporting domain: a customer's preferred branch). */
const logger = createLogger(AppId.selectStore);
const dapr = createDaprClient();
const selectFavorite = new SelectFavorite({ favorites: new DaprFavoriteRepository(dapr), events: new DaprFavoriteEvents(), clock: { now: () => new Date() } });

const { app, markDraining } = createServiceApp({ logger, readiness: { sidecar: sidecarReady }, appApiToken: process.env.APP_API_TOKEN });
mountSelectStoreRoutes(app, selectFavorite);
serveGracefully(app, { port: Number(process.env.APP_PORT ?? 3004), logger, markDraining });
