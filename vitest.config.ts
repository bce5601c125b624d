import { defineConfig } from 'vitest/config';

/**
 * Two projects run by `npm test`: `unit` (pure domain and application code, in-memory fakes of
 * our own ports, milliseconds) and `integration` (the real stack: daprd
 * sidecars, PostgreSQL, Redis, SQLite, Kafka; booted once per run by the global setup).
 */
export default defineConfig({
  test: {
    // Stopping the stack (apps, then sidecars, then infrastructure, each with a grace period) can take longer than
    // vitest's default 10 s; cut short, it left PostgreSQL and Redis running into the next run's start.
    teardownTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/test/**/*.test.ts',
            'services/*/test/**/*.test.ts',
            'tools/*/test/**/*.test.ts',
            'test/manifests/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // One stack, shared: files run one after another so a fault test cannot disturb another file.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      // The benchmark's direct twin (BURGER_TWIN=1: scripts/test.sh runs it as a pass of its own): the same global
      // setup boots the apps without sidecars.
      ...(process.env.BURGER_TWIN === '1'
        ? [
            {
              test: {
                name: 'twin',
                include: ['test/twin/**/*.test.ts'],
                globalSetup: ['test/support/global-setup.ts'],
                pool: 'forks' as const,
                poolOptions: { forks: { singleFork: true } },
                testTimeout: 60_000,
                hookTimeout: 240_000,
              },
            },
          ]
        : []),
      // `npm run test:k8s` only (BURGER_K8S=1; scripts/test-k8s.sh boots the cluster and runs these in its
      // network namespace): k8s-api needs the API server alone; k8s deploys the system on the node with Dapr.
      ...(process.env.BURGER_K8S
        ? [
            { test: { name: 'k8s-api', include: ['test/k8s/api/**/*.test.ts'], testTimeout: 120_000 } },
            {
              test: {
                name: 'k8s',
                include: ['test/k8s/system/**/*.test.ts'],
                globalSetup: ['test/k8s/global-setup.ts'],
                pool: 'forks' as const,
                poolOptions: { forks: { singleFork: true } },
                testTimeout: 300_000,
                hookTimeout: 1_800_000,
              },
            },
          ]
        : []),
    ],
  },
});
