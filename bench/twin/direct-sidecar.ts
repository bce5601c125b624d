import { resolve } from 'node:path';
import type { Hono } from 'hono';
import { Pool, request } from 'undici';
import { answerOf, sidecarHeaders, type SidecarAnswer, type SidecarTransport } from '@burger/service-kit';
import { readLocalSecrets, type TwinComponent } from './components.js';
import { KafkaPubsub, type DeclaredSubscription } from './pubsub.js';
import { EtagConflict, type StateDriver, type StateOp } from './state/driver.js';
import { PostgresState } from './state/postgres.js';
import { RedisState } from './state/redis.js';
import { SqliteState } from './state/sqlite.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Options = { body?: string; headers?: Record<string, string>; timeoutMs: number };

/** A state item as an app sends it to daprd's save or transaction API. */
interface SaveRequest {
  key: string;
  value?: unknown;
  etag?: string;
  options?: { concurrency?: string };
  metadata?: { ttlInSeconds?: string };
}

/**
 * The direct twin's stand-in for daprd: the same HTTP API paths the apps call, answered in the app process by
 * the stores' and the broker's own client libraries (no sidecar, no second hop, no mTLS, no tracing export),
 * configured from the same component YAML. Service invocation is plain HTTP to the callee's own port.
 */
export class DirectSidecar implements SidecarTransport {
  private readonly states = new Map<string, StateDriver>();
  private readonly pubsubs = new Map<string, KafkaPubsub>();
  private readonly peerPools = new Map<number, Pool>();
  private readonly turn = new Map<string, number>();
  private deliveriesReady = false;

  constructor(
    private readonly appId: string,
    private readonly appDir: string,
    private readonly components: Map<string, TwinComponent>,
    private readonly peers: Record<string, number[]>,
    private readonly appToken: string | undefined,
    /** The store drivers by component (the YAML's type); a test passes a fake. */
    private readonly open: (component: TwinComponent, appDir: string) => StateDriver = openState,
  ) {}

  async request(method: Method, fullPath: string, options: Options): Promise<SidecarAnswer> {
    const [path = '', query = ''] = fullPath.split('?', 2);
    const parts = path.split('/').slice(2).map(decodeURIComponent); // ['state', store, …]
    try {
      switch (parts[0]) {
        case 'healthz':
          // Ready as daprd is once its subscriptions run: here, once every consumer has its partitions.
          return this.deliveriesReady ? answer(204, '') : answer(503, '{"message":"subscriptions not joined yet"}');
        case 'secrets':
          return this.secret(parts[1]!, parts[2]!);
        case 'state':
          return await this.state(method, parts[1]!, parts.slice(2).join('/'), options);
        case 'publish':
          return await this.publish(parts[1]!, parts.slice(2).join('/'), options, new URLSearchParams(query));
        case 'bindings':
          return await this.binding(parts[1]!, options);
        case 'invoke':
          return await this.invoke(method, parts[1]!, path.split('/method/')[1] ?? '', query, options);
      }
      return answer(404, `{"message":"the twin does not serve ${path}"}`);
    } catch (error) {
      if (error instanceof EtagConflict) return answer(409, JSON.stringify({ errorCode: 'ERR_STATE_SAVE', message: error.message }));
      return answer(500, JSON.stringify({ errorCode: 'ERR_TWIN', message: String(error) }));
    }
  }

  invocationUrl(appId: string, path: string): string {
    return `http://127.0.0.1:${this.peerPort(appId)}/${path.replace(/^\//, '')}`;
  }

  serving(app: Hono): void {
    this.startDeliveries(app).catch((error: unknown) => {
      console.error(`[twin] ${this.appId}: subscribing failed: ${String(error)}`);
      process.exit(1);
    });
  }

  private async startDeliveries(app: Hono): Promise<void> {
    const response = await app.request('/dapr/subscribe', { headers: this.appToken ? { 'dapr-api-token': this.appToken } : {} });
    const declared = response.status === 404 ? [] : ((await response.json()) as DeclaredSubscription[]);
    const byPubsub = new Map<string, DeclaredSubscription[]>();
    for (const s of declared) byPubsub.set(s.pubsubname, [...(byPubsub.get(s.pubsubname) ?? []), s]);
    for (const [name, subscriptions] of byPubsub) await this.pubsub(name).subscribe(app, subscriptions, this.appToken);
    this.deliveriesReady = true;
  }

  private secret(storeName: string, name: string): SidecarAnswer {
    const secrets = readLocalSecrets(this.component(storeName), this.appDir);
    return name in secrets ? answer(200, JSON.stringify({ [name]: secrets[name] })) : answer(404, '{"message":"no such secret"}');
  }

  private async state(method: Method, storeName: string, rest: string, options: Options): Promise<SidecarAnswer> {
    const driver = this.stateDriver(storeName);
    const prefixed = keyPrefixer(this.component(storeName), this.appId);
    if (method === 'POST' && rest === 'bulk') {
      const { keys } = JSON.parse(options.body!) as { keys: string[] };
      const items = await driver.read(keys.map(prefixed.add));
      return answer(
        200,
        `[${items.map((item) => `{"key":${JSON.stringify(prefixed.strip(item.key))},"data":${item.json},"etag":"${item.etag}"}`).join(',')}]`,
      );
    }
    if (method === 'GET') {
      const [item] = await driver.read([prefixed.add(rest)]);
      return item ? answer(200, item.json, { etag: item.etag }) : answer(204, '');
    }
    if (method === 'DELETE') {
      const etag = options.headers?.['if-match'];
      await driver.apply([{ kind: 'delete', key: prefixed.add(rest), etag }]);
      return answer(204, '');
    }
    if (rest === 'transaction') {
      const { operations } = JSON.parse(options.body!) as { operations: Array<{ operation: string; request: SaveRequest }> };
      await driver.apply(operations.map(({ operation, request }) => toOp(request, operation === 'delete', prefixed.add)));
      return answer(204, '');
    }
    // The save API: each item on its own, as daprd's bulk set does.
    for (const item of JSON.parse(options.body!) as SaveRequest[]) await driver.apply([toOp(item, false, prefixed.add)]);
    return answer(204, '');
  }

  private async publish(pubsubName: string, topic: string, options: Options, query: URLSearchParams): Promise<SidecarAnswer> {
    const traceparent = sidecarHeaders().traceparent;
    await this.pubsub(pubsubName).publish(topic, options.body!, query.get('metadata.partitionKey') ?? undefined, traceparent);
    return answer(204, '');
  }

  private async binding(name: string, options: Options): Promise<SidecarAnswer> {
    const component = this.component(name);
    const { data, metadata } = JSON.parse(options.body!) as { data: unknown; metadata?: Record<string, string> };
    const response = await request(component.metadata.url!, {
      method: 'POST',
      headers: metadata ?? {},
      body: typeof data === 'string' ? data : JSON.stringify(data),
      headersTimeout: options.timeoutMs,
    });
    const text = await response.body.text();
    return response.statusCode < 300 ? answer(200, text) : answer(500, `{"message":"binding ${name}: HTTP ${response.statusCode}"}`);
  }

  private async invoke(method: Method, appId: string, path: string, query: string, options: Options): Promise<SidecarAnswer> {
    const port = this.peerPort(appId);
    let pool = this.peerPools.get(port);
    if (!pool) this.peerPools.set(port, (pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64, keepAliveTimeout: 60_000 })));
    const response = await pool.request({
      method,
      path: `/${path}${query ? `?${query}` : ''}`,
      headers: sidecarHeaders({ ...options.headers, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) }),
      body: options.body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    return answerOf(response);
  }

  /** Round robin over the callee's replicas, as daprd's name resolution spreads invocations. */
  private peerPort(appId: string): number {
    const ports = this.peers[appId];
    if (!ports?.length) throw new Error(`no app ${appId} in the twin`);
    const next = (this.turn.get(appId) ?? 0) + 1;
    this.turn.set(appId, next);
    return ports[next % ports.length]!;
  }

  private component(name: string): TwinComponent {
    const component = this.components.get(name);
    if (!component) throw new Error(`component ${name} is not loaded for ${this.appId}`);
    return component;
  }

  private pubsub(name: string): KafkaPubsub {
    let pubsub = this.pubsubs.get(name);
    if (!pubsub) this.pubsubs.set(name, (pubsub = new KafkaPubsub(this.component(name), this.appId)));
    return pubsub;
  }

  private stateDriver(name: string): StateDriver {
    let driver = this.states.get(name);
    if (!driver) this.states.set(name, (driver = this.open(this.component(name), this.appDir)));
    return driver;
  }
}

/** The driver for a state component, from its YAML metadata; the twin's tables are `<tableName>_twin`. */
function openState(component: TwinComponent, appDir: string): StateDriver {
  const m = component.metadata;
  switch (component.type) {
    case 'state.postgresql':
      return new PostgresState(m.connectionString!, `${m.tableName ?? 'state'}_twin`);
    case 'state.redis':
      return new RedisState({ host: m.redisHost!, username: m.redisUsername, password: m.redisPassword, db: Number(m.redisDB ?? 0) });
    case 'state.sqlite':
      return new SqliteState(
        resolve(appDir, m.connectionString!.replace(/\.db$/, '-twin.db')),
        `${m.tableName ?? 'state'}`,
        seconds(m.busyTimeout),
      );
  }
  throw new Error(`${component.name}: the twin has no driver for ${component.type}`);
}

const seconds = (text = '2s') => Number.parseFloat(text) * (text.endsWith('ms') ? 1 : 1000);

/** daprd's key prefix (metadata keyPrefix): `<app-id>||key` by default, the component's name, none, or a fixed one. */
function keyPrefixer(component: TwinComponent, appId: string): { add(key: string): string; strip(key: string): string } {
  const setting = component.metadata.keyPrefix ?? 'appid';
  const prefix = setting === 'none' ? '' : `${setting === 'appid' ? appId : setting === 'name' ? component.name : setting}||`;
  return { add: (key) => prefix + key, strip: (key) => key.slice(prefix.length) };
}

function toOp(item: SaveRequest, remove: boolean, prefixed: (key: string) => string): StateOp {
  const key = prefixed(item.key);
  if (remove) return { kind: 'delete', key, etag: item.etag };
  const ttl = item.metadata?.ttlInSeconds ? Number(item.metadata.ttlInSeconds) : undefined;
  return {
    kind: 'upsert',
    key,
    json: JSON.stringify(item.value),
    etag: item.etag,
    firstWrite: item.options?.concurrency === 'first-write',
    ttlSeconds: ttl,
  };
}

function answer(status: number, text: string, headers: Record<string, string> = {}): SidecarAnswer {
  return { status, text, headers: new Headers(headers) };
}
