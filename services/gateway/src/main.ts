import { ACCESS_TOKEN_SECONDS, AppId, issuerOf, LOCAL_PUBLIC_ORIGIN } from '@burger/contracts';
import {
  APP_CREDENTIALS_STORE,
  createLogger,
  createServiceApp,
  invocationUrl,
  readSecret,
  requiredAddress,
  requiredPort,
  serveGracefully,
  serveMetrics,
  sidecarHeaders,
  sidecarReady,
  whenSidecarReady,
} from '@burger/service-kit';
import type { MiddlewareHandler } from 'hono';
import { Redis } from 'ioredis';
import { CustomerOrders } from './application/customer-orders.js';
import { KitchenBoard } from './application/kitchen-board.js';
import { LiveStreams } from './application/live-streams.js';
import { DaprServices } from './adapters/dapr/dapr-services.js';
import { apiRoutes } from './adapters/http/api-routes.js';
import { mountAuthProxy } from './adapters/http/auth-proxy.js';
import { authenticate, authKeys, type GatewayEnv } from './adapters/http/authenticate.js';
import { mountDocs } from './adapters/http/docs.js';
import { clientAddress, rateLimiter, type WhenLimiterDown } from './adapters/http/rate-limit.js';
import { mountWebApp } from './adapters/http/web-app.js';

/** Composition root of the front door: the only app with a public port. */
const logger = createLogger(AppId.gateway);
const publicOrigin = process.env.PUBLIC_ORIGIN ?? LOCAL_PUBLIC_ORIGIN;
const issuer = issuerOf(publicOrigin);

// TRUST_FORWARDED_FOR=on: one proxy (the Ingress) in front; TRUSTED_PROXY_HOPS says how many if more.
const trustedProxyHops = process.env.TRUST_FORWARDED_FOR === 'on' ? Number(process.env.TRUSTED_PROXY_HOPS ?? 1) : 0;
// The limiter's Redis, host:port: from dapr.yaml (the launcher's Redis) or the Deployment (the cluster's `redis`).
const rateLimitStore = requiredAddress('RATE_LIMIT_REDIS');
// The limiter's Redis login (its own user, `gateway`, which may touch only `gateway||` keys) comes
// through the sidecar's secret store, so it connects once the sidecar is up.
const limits = connectLimiter();
async function connectLimiter() {
  await whenSidecarReady();
  const redis = new Redis({
    ...rateLimitStore,
    // db 7: a database of its own (the README lists which service owns which Redis database).
    db: Number(process.env.REDIS_DB ?? 7),
    username: AppId.gateway,
    password: await readSecret('redis-password', { store: APP_CREDENTIALS_STORE }),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'rate-limit store'));
  await new Promise((ready) => redis.once('ready', ready));
  const limiter = rateLimiter(
    redis,
    {
      perIpPerMinute: Number(process.env.RATE_LIMIT_IP_PER_MINUTE ?? 1_200),
      perUserPerMinute: Number(process.env.RATE_LIMIT_USER_PER_MINUTE ?? 300),
      signInFailuresPerUsernamePerMinute: Number(process.env.SIGN_IN_FAILURES_PER_USERNAME_PER_MINUTE ?? 10),
      trustedProxyHops,
    },
    logger,
  );
  return { redis, limiter };
}

const { app, markDraining } = createServiceApp({
  logger,
  // The largest body the front door takes at all: a sign-in form or an OAuth token request (the
  // provider reads at most 56 KiB, the sign-in form 4 KiB); /api routes take far less (api-routes.ts).
  maxBodyBytes: 16_384,
  // Its port is public: /metrics is on an internal port of its own (APP_METRICS_PORT, below).
  metricsOnAppPort: false,
  readiness: { sidecar: sidecarReady, rateLimitStore: async () => (await limits).redis.status === 'ready' },
});
const byIp =
  (when: WhenLimiterDown): MiddlewareHandler =>
  async (c, next) =>
    (await limits).limiter.byIp(when)(c, next);
const byUser: MiddlewareHandler<GatewayEnv> = async (c, next) => (await limits).limiter.byUser(c, next);
const keys = authKeys(new URL(invocationUrl(AppId.auth, '/auth/jwks')), sidecarHeaders());
// A token is good for at most auth's lifetime (ACCESS_TOKEN_SECONDS, the same variable auth reads).
const verify = authenticate(keys, { issuer, maxAgeSeconds: Number(process.env.ACCESS_TOKEN_SECONDS ?? ACCESS_TOKEN_SECONDS) });

const services = new DaprServices(logger);
const api = apiRoutes(
  {
    customers: new CustomerOrders(services),
    kitchen: new KitchenBoard(services),
    services,
    liveStreams: new LiveStreams(),
    clientAddress: (c) => clientAddress(c, trustedProxyHops),
  },
  async (c, next) => {
    await verify(c, async () => {
      await byUser(c, next);
    });
  },
);
// /api stays open when the limiter's Redis is down, /auth (passwords from anyone) closes: rate-limit.ts says why.
app.use('/api/*', byIp('open'));
app.use('/auth/*', byIp('closed'));
app.route('/api', api);
mountAuthProxy(app, async () => (await limits).limiter.signIns);
mountDocs(app, api, publicOrigin);
mountWebApp(app, logger);

limits.catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not reach the rate-limit store');
  process.exit(1);
});
serveMetrics(requiredPort('APP_METRICS_PORT'), logger);
serveGracefully(app, { port: requiredPort('APP_PORT'), logger, markDraining });
