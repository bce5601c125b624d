import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, invoke } from '../support/api.js';
import { isAlive, pidOf, readyAgain } from '../support/processes.js';
import { appToken, stackInfo } from '../support/stack-info.js';

async function payFaults(latencyMs: number): Promise<void> {
  const info = stackInfo();
  const response = await fetch(`http://127.0.0.1:${info.apps.pay!.appPort}/admin/faults`, {
    method: 'PUT',
    headers: { 'dapr-api-token': appToken('pay'), 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs, failureRate: 0 }),
  });
  expect(response.status).toBe(200);
}

/**
 * SIGTERM → readiness goes false → the listener stops taking new work → the request
 * in flight finishes → the process exits (long before the 15 s hard stop). Shown on
 * pay with a charge that takes 1.2 s (its latency knob) when the signal arrives.
 */
describe('graceful shutdown', () => {
  afterEach(() => payFaults(0).catch(() => undefined));

  it('finishes the payment in flight, reports not ready meanwhile, exits, and the launcher brings it back', async () => {
    const info = stackInfo();
    await payFaults(1_200);
    const oldPid = pidOf('pay');
    const inFlight = invoke('order', 'POST', '/orders', {
      customerId: `drain-${randomUUID().slice(0, 8)}`,
      storeId: 'gangnam',
      lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
    });
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    process.kill(-oldPid, 'SIGTERM'); // its process group, as the launcher and a kubelet do

    // The signal is handled on the process's next turn: poll briefly, while the charge is still running.
    const readiness = await eventually(
      'pay reports not ready (draining)',
      async () => {
        const response = await fetch(`http://127.0.0.1:${info.apps.pay!.appPort}/readyz`, {
          headers: { 'dapr-api-token': appToken('pay') },
        }).catch(() => undefined);
        return response?.status === 503 ? ((await response.json()) as Record<string, unknown>) : undefined;
      },
      1_000,
    );
    expect(readiness).toMatchObject({ draining: true });

    const placed = await inFlight;
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    // Exits by itself once drained: well before the launcher's liveness-based kill
    // (3 failed probes, several seconds) or the 15 s hard stop could do it.
    const exitedAfter = await eventually(
      'the draining pay process exits',
      async () => (isAlive(oldPid) ? undefined : Date.now() - signalled),
      15_000,
    );
    const newPid = await readyAgain('pay', oldPid);
    console.log(
      `[graceful] order placed during pay's drain (${placed.status}); old pay exited ${exitedAfter} ms after SIGTERM; back as pid ${newPid}`,
    );
    expect(exitedAfter).toBeLessThan(2_500);
  }, 60_000);
});
