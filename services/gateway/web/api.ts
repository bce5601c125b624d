import { current, renew } from './session.js';

/** An API error with the service's sentence (never a stack trace). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/**
 * Calls /api with the access token; on 401 renews it once and retries. With `idempotencyKey`
 * the server answers a repeat of the same request (a retry) with the first answer.
 */
export async function api<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
  let response = await send(method, path, body, idempotencyKey);
  if (response.status === 401 && (await renew())) response = await send(method, path, body, idempotencyKey);
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const retry = Number(response.headers.get('retry-after')) || undefined;
    const message = (parsed as { message?: string } | undefined)?.message;
    throw new ApiError(response.status, message ?? `Request failed (${response.status})`, retry);
  }
  return parsed as T;
}

function send(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Response> {
  const session = current();
  return fetch(`/api${path}`, {
    method,
    headers: {
      ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Server-Sent Events over fetch (EventSource cannot send the Authorization header):
 * calls `onEvent` for each event until `signal` aborts; reconnects after a dropped stream.
 */
export async function follow(path: string, onEvent: (event: string, data: string) => void, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      let response = await streamRequest(path, signal);
      if (response.status === 401 && (await renew())) response = await streamRequest(path, signal);
      if (!response.ok || !response.body) throw new ApiError(response.status, 'live updates unavailable');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('\n');
          if (data) onEvent(event, data);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status < 500) throw error;
    }
    await new Promise((resume) => setTimeout(resume, 1_000));
  }
}

function streamRequest(path: string, signal: AbortSignal): Promise<Response> {
  return fetch(`/api${path}`, {
    headers: { authorization: `Bearer ${current()?.accessToken ?? ''}`, accept: 'text/event-stream' },
    signal,
  });
}

/**
 * One Idempotency-Key per attempt at a request: the same request again (the customer taps
 * "Pay" again after an error or a lost connection) reuses the key, so it cannot charge twice;
 * a changed request gets a new key. `done()` after a success: the next request is a new attempt.
 */
export function attemptKeys(): { keyFor(request: unknown): string; done(): void } {
  let attempt: { request: string; key: string } | undefined;
  return {
    keyFor(request) {
      const text = JSON.stringify(request);
      if (attempt?.request !== text) attempt = { request: text, key: crypto.randomUUID() };
      return attempt.key;
    },
    done() {
      attempt = undefined;
    },
  };
}
