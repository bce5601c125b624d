import type { TestProject } from 'vitest/node';
import { minimumAbandonedPaymentAgeMs } from '@burger/contracts';
import { stackOptionsFromEnv, startStack } from '@burger/launcher';
import { startControlServer } from './control-server.js';

/** Boots the whole stack once for the integration project and tears it down afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  // BURGER_STACK_WITHOUT=marketing runs the suite with that app absent (the "new team leaves" proof).
  const { only, without } = stackOptionsFromEnv();
  if (without?.length) console.log(`[stack] !! running WITHOUT ${without.join(', ')}: tests that need them are skipped and say so`);
  // Test knobs on pay (latency, failure rate), off unless a test sets them; never on outside tests.
  process.env.PAY_FAULT_INJECTION = 'on';
  // A crash point around order's commit (the outbox test), armed only by that test.
  process.env.ORDER_FAULT_INJECTION = 'on';
  // The same after store's ticket writes (the outbox crash test of every publisher).
  process.env.STORE_FAULT_INJECTION = 'on';
  // Charges whose order was never stored are refunded once older than any live request can be. The test
  // stack runs the real budgets (the Resiliency YAML), so it uses the least age order accepts with them:
  // order refuses to start below it, and tests waiting for the sweep wait that long (abandonedPaymentWaitMs).
  process.env.ABANDONED_PAYMENT_AFTER_MS = String(minimumAbandonedPaymentAgeMs());
  // Consumers run as two replicas (same app-id, two sidecars) so every test also proves "no duplicates on scale-out".
  process.env.BURGER_REPLICAS ??= 'store=2,notification=2,gateway=2';
  const stack = await startStack({ progress: (line) => console.log(`[stack] ${line}`), without, only });
  console.log(`[stack] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const control = await startControlServer(stack);
  project.provide('stackInfo', {
    controlUrl: control.url,
    secrets: stack.secrets,
    tokens: stack.tokens,
    absent: [...(without ?? [])],
    replicas: stack.apps.map((app) => app.instance),
    apps: Object.fromEntries(
      stack.apps.map((app) => [
        app.instance,
        {
          appPort: app.appPort,
          daprHttpPort: app.daprHttpPort,
          metricsPort: app.metricsPort,
          appMetricsPort: Number(app.env.APP_METRICS_PORT ?? app.appPort),
        },
      ]),
    ),
  });
  return async () => {
    await control.close();
    await stack.stop();
  };
}
