import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Hono } from 'hono';
import { closeConnectionsLingering } from './lingering-close.js';
import type { Logger } from './logger.js';
import { sidecarReplacement } from './sidecar.js';

export interface ServeOptions {
  port: number;
  logger: Logger;
  markDraining: () => void;
  /** How long readiness reports "draining" before the listener closes, so routers notice. */
  drainDelayMs?: number;
  onClosed?: () => Promise<void>;
}

const KEEP_ALIVE_MS = 95_000;

/** Listens on loopback; on SIGTERM/SIGINT: readiness false → stop accepting → let in-flight requests finish → exit. */
export function serveGracefully(app: Hono, options: ServeOptions): void {
  // Plain HTTP/1.1 (no createServer option given), so the node:http Server API applies.
  const server = serve({ fetch: app.fetch, port: options.port, hostname: process.env.APP_HOST ?? '127.0.0.1' }, (info) =>
    options.logger.info({ port: info.port }, 'listening'),
  ) as Server;
  closeConnectionsLingering(server);
  sidecarReplacement()?.serving?.(app);
  // Longer than the idle timeout of the sidecar's pooled connections (Go's default transport: 90 s); Node's 5 s
  // default closes connections daprd still counts as reusable, and a request sent on one just as it closes fails.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    options.logger.info({ signal }, 'shutting down: draining');
    options.markDraining();
    setTimeout(() => {
      server.close(async () => {
        clearInterval(idleSweep);
        await options.onClosed?.().catch((error: unknown) => options.logger.warn({ err: error }, 'cleanup failed'));
        options.logger.info('stopped');
        process.exit(0);
      });
      // close() waits for every open connection, and a sidecar keeps its connections
      // alive: close each one as soon as its last response is written, not only those
      // idle at this instant (else the process lingers until the hard stop).
      const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
    }, options.drainDelayMs ?? 500).unref();
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
