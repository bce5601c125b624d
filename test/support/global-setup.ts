import type { TestProject } from 'vitest/node';
import { startStack } from '@burger/launcher';
import { startControlServer } from './control-server.js';

/** Boots the whole stack once for the integration project and tears it down afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const stack = await startStack({ progress: (line) => console.log(`[stack] ${line}`) });
  console.log(`[stack] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const control = await startControlServer(stack);
  project.provide('stackInfo', {
    controlUrl: control.url,
    secrets: stack.secrets,
    apps: Object.fromEntries(stack.apps.map((app) => [app.appId, { appPort: app.appPort, daprHttpPort: app.daprHttpPort }])),
  });
  return async () => {
    await control.close();
    await stack.stop();
  };
}
