import { usualCallerOf } from '@burger/contracts';
import { daprToken, stackInfo } from './stack-info.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Calls an app the way another Dapr app would: through a sidecar's invocation API with that
 * sidecar's own Dapr API token. By default the sidecar of the app that normally calls it (the
 * gateway's; order's for pay): apps accept only their own sidecar, and each sidecar serves only
 * the APIs its app needs, so order-view's, for one, invokes nothing.
 */
export async function invoke<T = any>(
  appId: string,
  method: string,
  path: string,
  body?: unknown,
  via = usualCallerOf(appId),
): Promise<ApiResponse<T>> {
  const info = stackInfo();
  const sidecarPort = info.apps[via]!.daprHttpPort;
  const response = await fetch(`http://127.0.0.1:${sidecarPort}/v1.0/invoke/${appId}/method/${path.replace(/^\//, '')}`, {
    method,
    headers: { 'dapr-api-token': daprToken(via), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, body: (await readBody(response)) as T };
}

/** A response body as JSON, or its text when it is not JSON (an error page), or undefined when empty. */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

export async function control(appId: string, action: 'stop' | 'start' | 'rolling-restart', signal?: NodeJS.Signals): Promise<void> {
  const url = `${stackInfo().controlUrl}/apps/${appId}/${action}${signal ? `?signal=${signal}` : ''}`;
  const response = await fetch(url, { method: 'POST' });
  if (response.status !== 204) throw new Error(`control ${action} ${appId}: ${response.status} ${await response.text()}`);
}

/** Polls until `probe` returns a value that is not undefined. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
