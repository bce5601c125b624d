import { startApp, waitForApp } from './apps.js';
import { admit, sidecarAddress, withdraw } from './endpoints.js';
import { tokensOf } from './secrets.js';
import type { Stack } from './types.js';

/** How long a withdrawn instance keeps serving the calls that resolved it just before. */
const DRAIN_MS = 1_000;

/**
 * Restarts the replicas of an app one at a time, the way a Deployment with
 * `maxUnavailable: 0` rolls: each instance leaves name resolution first (as a
 * terminating pod leaves its Service's endpoints), finishes what it was given,
 * stops (sidecar, then app: readiness false, drain, exit), starts again and
 * rejoins only once its sidecar and app are both ready.
 */
export async function rollingRestart(stack: Stack, appId: string, graceMs = 15_000): Promise<void> {
  const instances = stack.apps.filter((app) => app.appId === appId);
  if (instances.length === 0) throw new Error(`no app ${appId}`);
  for (const app of instances) {
    const address = sidecarAddress(app.daprInternalGrpcPort);
    await withdraw(address);
    await new Promise((drained) => setTimeout(drained, DRAIN_MS));
    await stack.supervisor.stop(`${app.instance}-daprd`, graceMs);
    await stack.supervisor.stop(app.instance, graceMs);
    startApp(stack.supervisor, stack.tools, app, tokensOf(stack.tokens, app), stack.controlPlane);
    await waitForApp(stack.supervisor, app, tokensOf(stack.tokens, app));
    await admit(address);
  }
}
