import { createHash } from 'node:crypto';
import type { BrokerGrant } from '@burger/contracts';
import type { AppCredentials } from '../secrets.js';

/**
 * Redis ACL users: one per app-id (name = app-id, the components' `redisUsername: "{appID}"`), plus
 * `default`, the administrator (the launcher, the tests' own clients, operators).
 *
 * Redis ACLs restrict keys and commands, not database numbers (SELECT is open to all), so what keeps
 * one app out of another's data is the key pattern: app-id X may touch only keys `X||*`, which is
 * Dapr's own `keyPrefix: appid` layout (the default; a manifest test holds every state.redis component
 * to it) and the gateway limiter's prefix. auth's sessions and grants (`auth||…`) are thus auth's alone,
 * whatever database another user selects. Commands are an allow-list: no KEYS/SCAN/RANDOMKEY (they would
 * list other apps' key names, and session ids are auth's key names), no FLUSH*, CONFIG, DEBUG, MONITOR,
 * CLIENT LIST/KILL, ACL.
 *
 * Broker on Redis Streams (the swappable broker): a stream per topic, so the same grant as on Kafka
 * becomes two selectors: XADD on the topics the app owns, the consumer-group commands on what it reads.
 */
const CONNECTION = ['ping', 'hello', 'auth', 'select', 'info', 'quit', 'echo', 'client|setname', 'client|getname', 'client|id'];
/** What Dapr's state.redis (hash records, Lua scripts for the ETag checks, MULTI/EXEC, TTLs) and the gateway's limiter send. */
const STATE = [
  'eval',
  'evalsha',
  'script|load',
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'get',
  'set',
  'mget',
  'incrby',
  'hget',
  'hgetall',
  'hmget',
  'hset',
  'hincrby',
  'del',
  'exists',
  'type',
  'expire',
  'pexpire',
  'persist',
  'ttl',
  'pttl',
];
const STREAM_WRITE = ['xadd'];
const STREAM_READ = [
  'xreadgroup',
  'xack',
  'xgroup|create',
  'xgroup|createconsumer',
  'xpending',
  'xclaim',
  'xautoclaim',
  'xinfo|stream',
  'xinfo|groups',
];

const commands = (list: string[]) => list.map((command) => `+${command}`).join(' ');
const keys = (patterns: string[]) => patterns.map((pattern) => `~${pattern}`).join(' ');
const hash = (password: string) => `#${createHash('sha256').update(password).digest('hex')}`;

/** The ACL rules of one app-id's user (without its password). */
export function redisRulesOf(grant: BrokerGrant): string {
  const selectors = [
    grant.writes.length ? `(${keys(grant.writes)} ${commands(STREAM_WRITE)})` : '',
    grant.reads.length ? `(${keys(grant.reads)} ${commands(STREAM_READ)})` : '',
  ].filter(Boolean);
  return ['resetkeys', 'resetchannels', '-@all', commands(CONNECTION), commands(STATE), keys([`${grant.appId}||*`]), ...selectors].join(
    ' ',
  );
}

/** The whole ACL file (`aclfile`): passwords as SHA-256 hashes, so the file holds none in clear. */
export function redisAclFile(adminPassword: string, users: ReadonlyMap<string, AppCredentials>, grants: readonly BrokerGrant[]): string {
  const grantOf = new Map(grants.map((grant) => [grant.appId, grant]));
  const lines = [`user default on ${hash(adminPassword)} ~* &* +@all`];
  for (const [appId, credentials] of users) {
    const grant = grantOf.get(appId) ?? { appId, writes: [], reads: [] };
    lines.push(`user ${appId} on ${hash(credentials['redis-password'])} ${redisRulesOf(grant)}`);
  }
  return lines.join('\n') + '\n';
}
