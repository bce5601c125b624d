import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_SCHEDULER_PORT } from '../cli-rules.js';
import { DATA_DIR, type Toolchain } from '../paths.js';
import { httpOk, isPortOpen, waitUntil } from '../readiness.js';
import type { Supervisor } from '../supervisor.js';
import { loopbackListenArgs, SENTRY, TRUST_ANCHORS_FILE } from './sentry.js';

/** Its own ports below the ephemeral range, except the one the CLI fixes (localhost:50006). */
export const SCHEDULER = {
  port: CLI_SCHEDULER_PORT,
  healthzPort: 4993,
  metricsPort: 4994,
  etcdClientPort: 4995,
  etcdPeerPort: 4996,
} as const;
const DIR = join(DATA_DIR, 'scheduler');

/**
 * Dapr's scheduler (Jobs API, workflow timers). The system uses neither, but `dapr run -f`
 * points every daprd newer than 1.15 at localhost:50006 whatever the run file says, and a
 * sidecar that cannot reach its scheduler never reports healthy (/v1.0/healthz 500). One
 * that already listens there (e.g. from `dapr init`) is reused. mTLS like the sidecars:
 * daprd checks the scheduler's identity from sentry.
 */
export async function ensureScheduler(supervisor: Supervisor, tools: Toolchain): Promise<'reused' | 'started'> {
  if (await isPortOpen(SCHEDULER.port)) return 'reused';
  if (!tools.scheduler) throw new Error('.run/toolchain.json names no scheduler: run scripts/provision.sh');
  mkdirSync(DIR, { recursive: true });
  const id = 'dapr-scheduler-server-0';
  supervisor.start({
    name: 'scheduler',
    tier: 0,
    command: tools.scheduler,
    args: [
      ...loopbackListenArgs(SCHEDULER),
      '--tls-enabled',
      '--trust-domain',
      SENTRY.trustDomain,
      '--trust-anchors-file',
      TRUST_ANCHORS_FILE,
      '--sentry-address',
      `127.0.0.1:${SENTRY.port}`,
      '--id',
      id,
      '--etcd-data-dir',
      DIR,
      '--etcd-client-listen-address',
      '127.0.0.1',
      '--etcd-client-port',
      String(SCHEDULER.etcdClientPort),
      '--etcd-initial-cluster',
      `${id}=http://127.0.0.1:${SCHEDULER.etcdPeerPort}`,
    ],
    cwd: DIR,
  });
  await waitUntil('Dapr scheduler', () => httpOk(`http://127.0.0.1:${SCHEDULER.healthzPort}/healthz`), 60_000);
  return 'started';
}
