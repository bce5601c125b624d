import { getConnInfo } from '@hono/node-server/conninfo';
import { Problem, type Logger } from '@burger/service-kit';
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { GatewayEnv } from './authenticate.js';

export interface RateLimits {
  perIpPerMinute: number;
  perUserPerMinute: number;
  /** Failed sign-ins per username per minute; the next attempt (right password or not) waits. */
  signInFailuresPerUsernamePerMinute: number;
  /**
   * How many proxies we run in front of the gateway (the Ingress: 1). Each appends the address it
   * saw to X-Forwarded-For, so the client is the entry that many hops from the END; everything
   * before it was written by the client and proves nothing. 0: the TCP peer (the local run).
   */
  trustedProxyHops: number;
}

/** What to do when Redis cannot answer: let the request through (open) or refuse it (closed). */
export type WhenLimiterDown = 'open' | 'closed';

/**
 * Fixed one-minute windows counted in Redis, so every gateway replica shares them.
 * If Redis is unreachable, `/api` goes through (logged): an outage of the limiter must
 * not become an outage of ordering, and every /api call that does anything carries a
 * signed token. `/auth` fails closed: it takes passwords from anyone, and an unlimited
 * sign-in form is a password-guessing service.
 * Keys live under `gateway||`, like Dapr's `<app-id>||` prefix: the gateway's Redis user may touch only those (Redis ACL).
 */
export function rateLimiter(redis: Redis, limits: RateLimits, logger: Logger) {
  const perIp = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'gateway||rate-ip', points: limits.perIpPerMinute, duration: 60 });
  const perUser = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'gateway||rate-user',
    points: limits.perUserPerMinute,
    duration: 60,
  });
  const signInFailures = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'gateway||rate-signin',
    points: limits.signInFailuresPerUsernamePerMinute,
    duration: 60,
  });

  const unavailable = (error: unknown, when: WhenLimiterDown): void => {
    if (when === 'open') {
      logger.warn({ err: error }, 'rate limiter unavailable: letting the request through');
      return;
    }
    logger.warn({ err: error }, 'rate limiter unavailable: refusing sign-in traffic');
    throw new Problem(
      503,
      'sign_in_unavailable',
      'Sign-in is unavailable for a moment; please try again shortly',
      { retryAfterSeconds: 5 },
      { 'retry-after': '5' },
    );
  };
  const tooMany = (outcome: RateLimiterRes, who: string): Problem => {
    const seconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
    return new Problem(
      429,
      'too_many_requests',
      `Too many requests ${who}; try again in ${seconds} s`,
      { retryAfterSeconds: seconds },
      { 'retry-after': String(seconds) },
    );
  };
  const consume = async (limiter: RateLimiterRedis, key: string, who: string, when: WhenLimiterDown) => {
    try {
      await limiter.consume(key);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) return unavailable(outcome, when);
      throw tooMany(outcome, who);
    }
  };

  const byIp =
    (when: WhenLimiterDown): MiddlewareHandler =>
    async (c, next) => {
      await consume(perIp, clientAddress(c, limits.trustedProxyHops), 'from this address', when);
      await next();
    };
  const byUser: MiddlewareHandler<GatewayEnv> = async (c, next) => {
    await consume(perUser, c.get('caller').accountId, 'for this account', 'open');
    await next();
  };

  /** Sign-in attempts for one username: refused while its failures of the last minute reach the limit; fails closed. */
  const signIns = {
    async check(username: string): Promise<void> {
      let seen: RateLimiterRes | null;
      try {
        seen = await signInFailures.get(username);
      } catch (error) {
        return unavailable(error, 'closed');
      }
      if (seen && seen.consumedPoints >= limits.signInFailuresPerUsernamePerMinute) throw tooMany(seen, 'for this username');
    },
    async failed(username: string): Promise<void> {
      await signInFailures.penalty(username).catch((error: unknown) => logger.warn({ err: error }, 'could not count a failed sign-in'));
    },
  };
  return { byIp, byUser, signIns };
}

export type SignInLimit = ReturnType<typeof rateLimiter>['signIns'];

/** The client's address: the entry `hops` from the end of X-Forwarded-For (see RateLimits), else the TCP peer. */
export function clientAddress(c: Context, trustedProxyHops: number): string {
  const peer = getConnInfo(c).remote.address || 'unknown';
  if (trustedProxyHops <= 0) return peer;
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not come through all of them; the peer is all we know.
  return hops.length >= trustedProxyHops ? hops[hops.length - trustedProxyHops]! : peer;
}
