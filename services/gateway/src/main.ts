import { AppId, issuerOf, LOCAL_PUBLIC_ORIGIN } from '@burger/contracts';
import { createLogger, createServiceApp, invocationUrl, readSecret, serveGracefully, sidecarHeaders, sidecarReady, whenSidecarReady } from '@burger/service-kit';
import type { MiddlewareHandler } from 'hono';
import { Redis } from 'ioredis';
import { CustomerOrders } from './application/customer-orders.js';
import { KitchenBoard } from './application/kitchen-board.js';
import { DaprServices } from './adapters/dapr/dapr-services.js';
import { apiRoutes } from './adapters/http/api-routes.js';
import { mountAuthProxy } from './adapters/http/auth-proxy.js';
import { authenticate, authKeys, type GatewayEnv } from './adapters/http/authenticate.js';
import { mountDocs } from './adapters/http/docs.js';
import { rateLimiter } from './adapters/http/rate-limit.js';
import { mountWebApp } from './adapters/http/web-app.js';

/** Composition root of the front door: the only app with a public port. */
const logger = createLogger(AppId.gateway);
const publicOrigin = process.env.PUBLIC_ORIGIN ?? LOCAL_PUBLIC_ORIGIN;
const issuer = issuerOf(publicOrigin);

// The limiter's Redis password comes through the sidecar's secret store, so it connects once the sidecar is up.
const limits = connectLimiter();
async function connectLimiter() {
  await whenSidecarReady();
  const redis = new Redis({
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
    // db 7: a database of its own (the README lists which service owns which Redis database).
    db: Number(process.env.REDIS_DB ?? 7),
    password: await readSecret('redis-password'),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'rate-limit store'));
  await new Promise((ready) => redis.once('ready', ready));
  const limiter = rateLimiter(redis, {
    perIpPerMinute: Number(process.env.RATE_LIMIT_IP_PER_MINUTE ?? 1_200),
    perUserPerMinute: Number(process.env.RATE_LIMIT_USER_PER_MINUTE ?? 300),
    trustForwardedFor: process.env.TRUST_FORWARDED_FOR === 'on',
  }, logger);
  return { redis, limiter };
}

const { app, markDraining } = createServiceApp({
  logger,
  readiness: { sidecar: sidecarReady, rateLimitStore: async () => (await limits).redis.status === 'ready' },
});
const byIp: MiddlewareHandler = async (c, next) => (await limits).limiter.byIp(c, next);
const byUser: MiddlewareHandler<GatewayEnv> = async (c, next) => (await limits).limiter.byUser(c, next);
const keys = authKeys(new URL(invocationUrl(AppId.auth, '/auth/jwks')), sidecarHeaders());
const verify = authenticate(keys, issuer);

const services = new DaprServices();
const api = apiRoutes(
  { customers: new CustomerOrders(services), kitchen: new KitchenBoard(services), services },
  async (c, next) => {
    await verify(c, async () => {
      await byUser(c, next);
    });
  },
);
app.use('/api/*', byIp);
app.use('/auth/*', byIp);
app.route('/api', api);
mountAuthProxy(app);
mountDocs(app, api, publicOrigin);
mountWebApp(app, logger);

limits.catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not reach the rate-limit store');
  process.exit(1);
});
serveGracefully(app, { port: Number(process.env.APP_PORT ?? 8080), logger, markDraining });
