import type { AppId } from '@burger/contracts';
import { sidecar, sidecarHeaders } from '@burger/service-kit';
import type { Call, Reply, Services, Stream } from '../../application/ports.js';

/** Above order's own worst case (pay's timeout and retries), so the gateway never gives up before order does. */
const CALL_TIMEOUT_MS = 12_000;

/** Service invocation through the gateway's sidecar (mTLS, access control, resiliency, tracing on the way). */
export class DaprServices implements Services {
  async call(appId: AppId, call: Call): Promise<Reply> {
    const response = await fetch(`${sidecar.baseUrl}/v1.0/invoke/${appId}/method${call.path}`, {
      method: call.method,
      headers: sidecarHeaders(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    const text = await response.text();
    const retryAfter = response.headers.get('retry-after') ?? undefined;
    return { status: response.status, body: parseJson(text), ...(retryAfter ? { retryAfter } : {}) };
  }

  async open(appId: AppId, path: string, signal: AbortSignal): Promise<Stream> {
    const response = await fetch(`${sidecar.baseUrl}/v1.0/invoke/${appId}/method${path}`, { headers: sidecarHeaders({ accept: 'text/event-stream' }), signal });
    return { status: response.status, body: response.body };
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { error: 'upstream_error', message: 'A service answered unexpectedly' };
  }
}
