import { AppCredentialsStore } from '@burger/contracts';
import type { Hono } from 'hono';
import { type Dispatcher, Pool } from 'undici';
import { requiredPort } from './settings.js';
import { traceHeaders } from './trace-context.js';

/**
 * Where this app's own sidecar listens, from the variables the launcher / dapr CLI / injector set.
 * Read when first used (not at import: unit tests import this module without a sidecar), and
 * required: a guessed port would reach another app's sidecar, or nothing.
 */
let httpPort: number | undefined;
export const sidecar = {
  host: '127.0.0.1',
  get httpPort(): number {
    httpPort ??= requiredPort('DAPR_HTTP_PORT');
    return httpPort;
  },
  apiToken: process.env.DAPR_API_TOKEN,
  get baseUrl(): string {
    return `http://${this.host}:${this.httpPort}`;
  },
};

/** Headers for calls to our own sidecar's HTTP API: its token, and the trace of the request being handled. */
export function sidecarHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return headersFor(sidecar.apiToken, extra);
}

/** A sidecar's token and the trace of the request being handled, then `extra`. */
function headersFor(apiToken: string | undefined, extra: Record<string, string>): Record<string, string> {
  return { ...(apiToken ? { 'dapr-api-token': apiToken } : {}), ...traceHeaders(), ...extra };
}

/**
 * Readiness: the sidecar is up and its components initialised. `/healthz/outbound`
 * (not `/healthz`) because the full check also waits for this app to be healthy:
 * using it here would make each wait for the other.
 */
export async function sidecarReady(): Promise<boolean> {
  return (await sidecarRequest('GET', '/v1.0/healthz/outbound', { timeoutMs: 1_000 })).status < 300;
}

export interface SidecarAnswer {
  status: number;
  text: string;
  headers: Headers;
}

/** How many connections each app keeps to its sidecar (requests beyond that queue in the app for a free one). */
const SIDECAR_CONNECTIONS = 64;

/**
 * Calls to one sidecar's HTTP API, on one pool of keep-alive connections (undici). An order makes some 55
 * calls to sidecars, and the client library was much of their cost: global fetch and the SDK's node-fetch spent
 * several times the client CPU of undici's request here; `npm run bench:gateway` shows the whole system's gain
 * (README, "Through the front door"). The sidecar's token and the trace of the request being handled ride along.
 * `timeoutMs` bounds the wait for the answer's headers and then for its body.
 */
export class SidecarHttp implements SidecarTransport {
  private pool: Pool | undefined;

  constructor(private readonly address: { baseUrl: string; apiToken?: string | undefined }) {}

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { body?: string; headers?: Record<string, string>; timeoutMs: number },
  ): Promise<SidecarAnswer> {
    this.pool ??= new Pool(this.address.baseUrl, { connections: SIDECAR_CONNECTIONS, keepAliveTimeout: 60_000 });
    const type: Record<string, string> = options.body !== undefined ? { 'content-type': 'application/json' } : {};
    const response = await this.pool.request({
      method,
      path,
      headers: headersFor(this.address.apiToken, { ...options.headers, ...type }),
      body: options.body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    return answerOf(response);
  }
}

/** An undici response read to its end, as a SidecarAnswer (its headers as web Headers). */
export async function answerOf(response: Dispatcher.ResponseData): Promise<SidecarAnswer> {
  const text = await response.body.text();
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  return { status: response.statusCode, text, headers };
}

/**
 * What answers an app's calls to its sidecar's HTTP API: daprd (SidecarHttp), or, in the benchmark's direct twin
 * only (bench/twin), drivers inside the app process that answer the same API without a sidecar. Every call an app
 * makes to its sidecar goes through one, so the twin runs the apps' code unchanged.
 */
export interface SidecarTransport {
  request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { body?: string; headers?: Record<string, string>; timeoutMs: number },
  ): Promise<SidecarAnswer>;
  /** Where a streamed or proxied service invocation goes (daprd's invoke URL by default). */
  invocationUrl?(appId: string, path: string): string;
  /** Told of the app once it serves: a transport that delivers events in-process needs it. */
  serving?(app: Hono): void;
}

let own: SidecarTransport | undefined;
let replacement: SidecarTransport | undefined;
/** This app's own sidecar (created at the first call, when DAPR_HTTP_PORT is read), or the twin's drivers. */
export function ownSidecar(): SidecarTransport {
  if (replacement) return replacement;
  own ??= new SidecarHttp({ baseUrl: sidecar.baseUrl, apiToken: sidecar.apiToken });
  return own;
}

/** The benchmark's direct twin (bench/twin/preload.ts) puts its drivers in daprd's place; nothing else calls this. */
export function replaceSidecar(transport: SidecarTransport): void {
  replacement = transport;
}

/** The transport put in daprd's place, if any (serveGracefully hands it the app). */
export const sidecarReplacement = (): SidecarTransport | undefined => replacement;

/** A call to this app's own sidecar's HTTP API (see SidecarHttp). */
export function sidecarRequest(...args: Parameters<SidecarHttp['request']>): Promise<SidecarAnswer> {
  return ownSidecar().request(...args);
}

export interface InvocationResult {
  status: number;
  body: unknown;
  headers: Headers;
}

/** The sidecar URL that invokes `path` on `appId` (service invocation: mTLS, access control, resiliency). */
export function invocationUrl(appId: string, path: string): string {
  return replacement?.invocationUrl?.(appId, path) ?? `${sidecar.baseUrl}${invocationPath(appId, path)}`;
}

/** The sidecar's path that invokes `path` on `appId`. */
const invocationPath = (appId: string, path: string) => `/v1.0/invoke/${appId}/method/${path.replace(/^\//, '')}`;

export interface InvocationOptions {
  verb?: 'GET' | 'POST' | 'PUT';
  /** Sent as JSON; leave out for a call without a body. */
  body?: unknown;
  /** Passed on to the callee (Dapr forwards request headers), e.g. an Idempotency-Key. */
  headers?: Record<string, string>;
  timeoutMs: number;
}

/**
 * Service invocation over the sidecar's HTTP API. Our own call rather than the
 * SDK's invoker because the caller needs the callee's status code and headers
 * (e.g. a 402 decline versus a 503 from an open circuit breaker), which the
 * SDK folds into one thrown error string. A body that is not JSON comes back as text.
 */
export async function invokeApp(appId: string, path: string, options: InvocationOptions): Promise<InvocationResult> {
  const { status, text, headers } = await sidecarRequest(options.verb ?? 'POST', invocationPath(appId, path), {
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    timeoutMs: options.timeoutMs,
  });
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text for the log.
  }
  return { status, body: parsed, headers };
}

/**
 * A secret from the secret store through this app's sidecar: locally the JSON file
 * (one secret per key), on Kubernetes the `kubernetes` store, where the keys live in
 * one Secret (SECRET_STORE=kubernetes, SECRET_BUNDLE=burger-secrets). Same code either way.
 * `from` names another store whose secrets are one per key (e.g. the app's own credentials).
 */
export async function readSecret(key: string, from?: { store: string }): Promise<string> {
  const store = from?.store ?? process.env.SECRET_STORE ?? 'localsecretstore';
  const name = from ? key : (process.env.SECRET_BUNDLE ?? key);
  const answer = await sidecarRequest('GET', `/v1.0/secrets/${store}/${encodeURIComponent(name)}`, { timeoutMs: 5_000 });
  if (answer.status >= 300) throw new Error(`secret ${name} from ${store}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
  const value = (JSON.parse(answer.text) as Record<string, string>)[key];
  if (value === undefined) throw new Error(`secret ${name} from ${store} has no key ${key}`);
  return value;
}

/** Waits for the sidecar (it starts beside the app) before a start-up step that needs it. */
export async function whenSidecarReady(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await sidecarReady().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`sidecar not ready after ${timeoutMs} ms`);
    await new Promise((resume) => setTimeout(resume, 200));
  }
}

/**
 * The store holding this app's own logins to the backing stores (user name = app-id): locally
 * `.run/secrets/apps/<app-id>.json`, on Kubernetes the app's own Secret mounted into its sidecar.
 * Every sidecar sees only its own (components/app-credentials.yaml).
 */
export const APP_CREDENTIALS_STORE = AppCredentialsStore;
