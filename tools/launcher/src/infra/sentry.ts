import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, RUN_DIR, type Toolchain } from '../paths.js';
import { httpOk, isPortOpen, waitUntil } from '../readiness.js';
import type { Supervisor } from '../supervisor.js';

// The port is the one `dapr run -f` gives every mTLS sidecar (localhost:50001, cli-rules.ts); it lies
// in Linux's ephemeral range, but Go listeners set SO_REUSEADDR, so only another listener can block it.
// The others stay below that range.
export const SENTRY = { port: 50001, healthzPort: 4991, metricsPort: 4992, trustDomain: 'localhost' } as const;
const CERTS = join(RUN_DIR, 'dapr', 'certs');
/** The root every sidecar (DAPR_TRUST_ANCHORS) and the scheduler (--trust-anchors-file) trust. */
export const TRUST_ANCHORS_FILE = join(CERTS, 'ca.crt');

/**
 * Dapr's certificate authority. On first start it creates a self-signed root
 * under .run/dapr/certs; sidecars trust that root (DAPR_TRUST_ANCHORS) and get
 * their mTLS identities from it.
 */
export async function ensureSentry(supervisor: Supervisor, tools: Toolchain): Promise<{ trustAnchors: string }> {
  if (!(await isPortOpen(SENTRY.port))) {
    mkdirSync(CERTS, { recursive: true });
    supervisor.start({
      name: 'sentry',
      tier: 0,
      command: tools.sentry,
      args: [
        '--config',
        join(ROOT, 'dapr-config', 'sentry-config.yaml'),
        '--issuer-credentials',
        CERTS,
        '--trust-domain',
        SENTRY.trustDomain,
        ...loopbackListenArgs(SENTRY),
      ],
      cwd: ROOT,
    });
  }
  await waitUntil('Dapr sentry', () => httpOk(`http://127.0.0.1:${SENTRY.healthzPort}/healthz`), 30_000);
  return { trustAnchors: readFileSync(TRUST_ANCHORS_FILE, 'utf8') };
}

/** Where a control-plane service (sentry, scheduler) listens: loopback only, JSON logs. */
export function loopbackListenArgs(ports: { port: number; healthzPort: number; metricsPort: number }): string[] {
  return [
    '--listen-address',
    '127.0.0.1',
    '--port',
    String(ports.port),
    '--healthz-listen-address',
    '127.0.0.1',
    '--healthz-port',
    String(ports.healthzPort),
    '--metrics-port',
    String(ports.metricsPort),
    '--log-as-json',
  ];
}
