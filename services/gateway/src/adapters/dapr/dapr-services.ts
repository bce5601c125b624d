import { Budgets, type AppId } from '@burger/contracts';
import { invocationUrl, invokeApp, sidecarHeaders, type Logger } from '@burger/service-kit';
import type { Call, Reply, Services, Stream } from '../../application/ports.js';

/** Above order's own wait for pay, so the gateway never gives up before order does (one place: Budgets). */
const CALL_TIMEOUT_MS = Budgets.gatewayRequestMs;

/** Service invocation through the gateway's sidecar (mTLS, access control, resiliency, tracing on the way). */
export class DaprServices implements Services {
  constructor(private readonly logger: Logger) {}

  async call(appId: AppId, call: Call): Promise<Reply> {
    const result = await invokeApp(appId, call.path, {
      verb: call.method,
      body: call.body,
      ...(call.headers ? { headers: call.headers } : {}),
      timeoutMs: CALL_TIMEOUT_MS,
    });
    // Our services answer JSON; anything else (a proxy's HTML error page …) is not passed on to the caller.
    const body = typeof result.body === 'string' ? { error: 'upstream_error', message: 'A service answered unexpectedly' } : result.body;
    const retryAfter = result.headers.get('retry-after') ?? undefined;
    // The caller sees only a generic 502/503 (public-reply.ts): what the service or its sidecar said stays here.
    if (result.status >= 500) {
      this.logger.warn(
        { appId, method: call.method, path: call.path, status: result.status, body: result.body },
        'a service behind the gateway failed',
      );
    }
    return { status: result.status, body, ...(retryAfter ? { retryAfter } : {}) };
  }

  async open(appId: AppId, path: string, signal: AbortSignal): Promise<Stream> {
    const response = await fetch(invocationUrl(appId, path), { headers: sidecarHeaders({ accept: 'text/event-stream' }), signal });
    return { status: response.status, body: response.body };
  }
}
