import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, type Toolchain } from '../paths.js';
import { isPortOpen, waitUntil } from '../readiness.js';
import { REDIS, type StoreLogins } from '../secrets.js';
import type { Supervisor } from '../supervisor.js';
import { redisAclFile } from './redis-users.js';

const DIR = join(DATA_DIR, 'redis');

/**
 * Redis for the state stores, the gateway's limiter and (when swapped in) Redis Streams: loopback only,
 * a user per app-id (redis-users.ts) from an ACL file written on every start, append-only file so a
 * restart keeps the queues.
 */
export async function ensureRedis(
  supervisor: Supervisor,
  tools: Toolchain,
  { secrets, users, grants }: StoreLogins,
): Promise<'reused' | 'started'> {
  if (await isPortOpen(REDIS.port)) return 'reused';
  mkdirSync(DIR, { recursive: true });
  const aclFile = join(DIR, 'users.acl');
  writeFileSync(aclFile, redisAclFile(secrets['redis-password'], users, grants), { mode: 0o600 });
  chmodSync(aclFile, 0o600);
  supervisor.start({
    name: 'redis',
    tier: 0,
    command: tools.redisServer,
    args: [
      '--port',
      String(REDIS.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      DIR,
      // The users, `default` (the administrator) included: no password on the command line.
      '--aclfile',
      aclFile,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
    ],
    cwd: DIR,
  });
  await waitUntil('Redis', () => isPortOpen(REDIS.port), 20_000);
  return 'started';
}
