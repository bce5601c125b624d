import { Redis } from 'ioredis';
import { EtagConflict, mustBeNew, type StateDriver, type StateOp, type StoredItem } from './driver.js';

/**
 * state.redis's work on ioredis: a hash per key (`data`, `version`), the ETag checks in a Lua script as daprd
 * does them, a TTL by EXPIRE. A transaction is one script: every check, then every write, atomically.
 * A read of several keys is one pipeline of HMGETs.
 */
const APPLY = `
local ops = cjson.decode(ARGV[1])
for i, op in ipairs(ops) do
  local v = redis.call('HGET', KEYS[i], 'version')
  if op.etag then
    if v ~= op.etag then return redis.error_reply('ETAG ' .. KEYS[i]) end
  elseif op.new and v then
    return redis.error_reply('ETAG ' .. KEYS[i])
  end
end
for i, op in ipairs(ops) do
  if op.remove then
    redis.call('DEL', KEYS[i])
  else
    redis.call('HSET', KEYS[i], 'data', ARGV[i + 1])
    redis.call('HINCRBY', KEYS[i], 'version', 1)
    if op.ttl then redis.call('EXPIRE', KEYS[i], op.ttl) else redis.call('PERSIST', KEYS[i]) end
  end
end
return #ops`;

export class RedisState implements StateDriver {
  private readonly redis: Redis;

  constructor(options: { host: string; username?: string | undefined; password?: string | undefined; db: number }) {
    const [host, port] = options.host.split(':');
    if (!host || !port) throw new Error(`redisHost ${options.host} is not host:port`);
    this.redis = new Redis({
      host,
      port: Number(port),
      ...(options.username ? { username: options.username } : {}),
      ...(options.password ? { password: options.password } : {}),
      db: options.db,
    });
    // Sent once (EVALSHA afterwards), as daprd loads its scripts.
    this.redis.defineCommand('applyState', { lua: APPLY });
  }

  async read(keys: string[]): Promise<StoredItem[]> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(key, 'data', 'version');
    const answers: Array<[Error | null, unknown]> = (await pipeline.exec()) ?? [];
    const found: StoredItem[] = [];
    answers.forEach(([error, fields], i) => {
      if (error) throw error;
      const [json, etag] = fields as [string | null, string | null];
      if (json !== null && etag !== null) found.push({ key: keys[i]!, json, etag });
    });
    return found;
  }

  async apply(ops: StateOp[]): Promise<void> {
    const meta = ops.map((op) =>
      op.kind === 'delete'
        ? { remove: true, ...(op.etag ? { etag: op.etag } : {}) }
        : {
            ...(op.etag ? { etag: op.etag } : {}),
            ...(mustBeNew(op) ? { new: true } : {}),
            ...(op.ttlSeconds ? { ttl: op.ttlSeconds } : {}),
          },
    );
    const values = ops.map((op) => (op.kind === 'upsert' ? op.json : ''));
    try {
      await (this.redis as unknown as { applyState(...args: Array<string | number>): Promise<number> }).applyState(
        ops.length,
        ...ops.map((op) => op.key),
        JSON.stringify(meta),
        ...values,
      );
    } catch (error) {
      const match = /ETAG (\S+)/.exec(String(error));
      throw match ? new EtagConflict(match[1]!) : error;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
