import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, type Toolchain } from '../paths.js';
import { isPortOpen, waitUntil } from '../readiness.js';
import { REDIS, type LocalSecrets } from '../secrets.js';
import type { Supervisor } from '../supervisor.js';

const DIR = join(DATA_DIR, 'redis');

/** Redis for `storequeue`: loopback only, password from the local secrets, append-only file so a restart keeps the queues. */
export async function ensureRedis(supervisor: Supervisor, tools: Toolchain, secrets: LocalSecrets): Promise<'reused' | 'started'> {
  if (await isPortOpen(REDIS.port)) return 'reused';
  mkdirSync(DIR, { recursive: true });
  supervisor.start({
    name: 'redis',
    tier: 0,
    command: tools.redisServer,
    args: [
      '--port', String(REDIS.port),
      '--bind', '127.0.0.1',
      '--dir', DIR,
      '--requirepass', secrets['redis-password'],
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
    ],
    cwd: DIR,
  });
  await waitUntil('Redis', () => isPortOpen(REDIS.port), 20_000);
  return 'started';
}
