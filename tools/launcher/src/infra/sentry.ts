import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, RUN_DIR, type Toolchain } from '../paths.js';
import { httpOk, isPortOpen, waitUntil } from '../readiness.js';
import type { Supervisor } from '../supervisor.js';

// Below Linux's ephemeral port range (32768–60999), so no outgoing connection can be holding them.
export const SENTRY = { port: 4990, healthzPort: 4991, metricsPort: 4992, trustDomain: 'localhost' } as const;
const CERTS = join(RUN_DIR, 'dapr', 'certs');

/**
 * Dapr's certificate authority. On first start it creates a self-signed root
 * under .run/dapr/certs; sidecars trust that root (DAPR_TRUST_ANCHORS) and get
 * their mTLS identities from it.
 */
export async function ensureSentry(supervisor: Supervisor, tools: Toolchain): Promise<{ trustAnchors: string; address: string }> {
  const address = `127.0.0.1:${SENTRY.port}`;
  if (!(await isPortOpen(SENTRY.port))) {
    mkdirSync(CERTS, { recursive: true });
    supervisor.start({
      name: 'sentry',
      tier: 0,
      command: tools.sentry,
      args: [
        '--config', join(ROOT, 'dapr-config', 'sentry-config.yaml'),
        '--issuer-credentials', CERTS,
        '--trust-domain', SENTRY.trustDomain,
        '--listen-address', '127.0.0.1',
        '--port', String(SENTRY.port),
        '--healthz-listen-address', '127.0.0.1',
        '--healthz-port', String(SENTRY.healthzPort),
        '--metrics-port', String(SENTRY.metricsPort),
        '--log-as-json',
      ],
      cwd: ROOT,
    });
  }
  await waitUntil('Dapr sentry', () => httpOk(`http://127.0.0.1:${SENTRY.healthzPort}/healthz`), 30_000);
  return { trustAnchors: readFileSync(join(CERTS, 'ca.crt'), 'utf8'), address };
}
