import { getConnInfo } from '@hono/node-server/conninfo';
import { Problem, type Logger } from '@burger/service-kit';
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { GatewayEnv } from './authenticate.js';

export interface RateLimits {
  perIpPerMinute: number;
  perUserPerMinute: number;
  /** Behind an Ingress the client is the first X-Forwarded-For hop; locally nobody may claim an address. */
  trustForwardedFor: boolean;
}

/**
 * Fixed one-minute windows counted in Redis, so every gateway replica shares them.
 * If Redis is unreachable the request goes through (logged): an outage of the
 * limiter must not become an outage of ordering.
 */
export function rateLimiter(redis: Redis, limits: RateLimits, logger: Logger) {
  const perIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'gateway-rate-ip', points: limits.perIpPerMinute, duration: 60 });
  const perUser = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'gateway-rate-user', points: limits.perUserPerMinute, duration: 60 });

  const consume = async (limiter: RateLimiterRedis, key: string, who: string) => {
    try {
      await limiter.consume(key);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) {
        logger.warn({ err: outcome }, 'rate limiter unavailable: letting the request through');
        return;
      }
      const seconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      throw new Problem(429, 'too_many_requests', `Too many requests ${who}; try again in ${seconds} s`, { retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
    }
  };

  const byIp: MiddlewareHandler = async (c, next) => {
    await consume(perIp, clientAddress(c, limits.trustForwardedFor), 'from this address');
    await next();
  };
  const byUser: MiddlewareHandler<GatewayEnv> = async (c, next) => {
    await consume(perUser, c.get('caller').accountId, 'for this account');
    await next();
  };
  return { byIp, byUser };
}

function clientAddress(c: Context, trustForwardedFor: boolean): string {
  const forwarded = trustForwardedFor ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwarded || getConnInfo(c).remote.address || 'unknown';
}
