import { join } from 'node:path';
import { ROOT } from '../paths.js';
import { httpOk, isPortOpen, waitUntil } from '../readiness.js';
import type { Supervisor } from '../supervisor.js';
import { INFRA_PORTS } from './ports.js';

/** Zipkin's port: dapr-config/*.yaml send every sidecar's spans to http://127.0.0.1:9411/api/v2/spans. */
export const TRACE_SINK = { port: INFRA_PORTS.traceSink } as const;

/**
 * The local stand-in for a tracing backend (Zipkin API, in memory): one order's
 * trace is at GET :9411/api/v2/trace/<traceId>; on Kubernetes an OpenTelemetry
 * collector takes its place (k8s/base/dapr/configuration.yaml).
 */
export async function ensureTraceSink(supervisor: Supervisor): Promise<'reused' | 'started'> {
  if (await isPortOpen(TRACE_SINK.port)) return 'reused';
  supervisor.start({
    name: 'trace-sink',
    tier: 0,
    restartOnExit: true,
    command: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts'],
    cwd: join(ROOT, 'tools', 'trace-sink'),
    env: { ...process.env, TRACE_SINK_PORT: String(TRACE_SINK.port) },
  });
  await waitUntil('trace sink', () => httpOk(`http://127.0.0.1:${TRACE_SINK.port}/healthz`), 20_000);
  return 'started';
}
