import type { AppId } from '@burger/contracts';

/** A service's answer, passed on as it is (status and body) unless a use case decides otherwise. */
export interface Reply {
  status: number;
  body: unknown;
  /** Set when the service asks the caller to come back later (e.g. payment busy). */
  retryAfter?: string;
}

export interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  /** Headers the service needs from the caller's request (Idempotency-Key). */
  headers?: Record<string, string>;
}

/** A long-lived answer (Server-Sent Events) passed through as bytes. */
export interface Stream {
  status: number;
  body: ReadableStream<Uint8Array> | null;
}

/** The services behind the front door (through Dapr service invocation). */
export interface Services {
  call(appId: AppId, call: Call): Promise<Reply>;
  /** A GET whose answer keeps coming (an SSE stream); closing `signal` ends it. */
  open(appId: AppId, path: string, signal: AbortSignal): Promise<Stream>;
}
