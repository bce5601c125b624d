import { describe, expect, it } from 'vitest';
import { pidOf, readyAgain } from '../support/processes.js';

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
