import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { stackInfo } from '../support/stack-info.js';

const ROOT = join(import.meta.dirname, '..', '..');
const pidOf = (instance: string) => Number(readFileSync(join(ROOT, '.run', 'pids', `${instance}.pid`), 'utf8'));

async function readyAgain(appId: string, oldPid: number): Promise<number> {
  const info = stackInfo();
  return eventually(`${appId} back with a new process`, async () => {
    let pid: number;
    try {
      pid = pidOf(appId);
    } catch {
      return undefined;
    }
    if (pid === oldPid) return undefined;
    const response = await fetch(`http://127.0.0.1:${info.apps[appId]!.appPort}/readyz`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
    return response?.ok ? pid : undefined;
  }, 30_000);
}

/** The launcher heals like a kubelet: a crashed app is started again, a hung one is killed and started again. */
describe('self-healing', () => {
  it('starts a crashed app again', async () => {
    const pid = pidOf('select-store');
    process.kill(pid, 'SIGKILL');
    expect(await readyAgain('select-store', pid)).not.toBe(pid);
  }, 60_000);

  it('kills and restarts an app whose liveness keeps failing (a hung process)', async () => {
    const pid = pidOf('order-view');
    process.kill(pid, 'SIGSTOP'); // alive but answering nothing: only the liveness probe can tell
    expect(await readyAgain('order-view', pid)).not.toBe(pid);
  }, 60_000);
});
