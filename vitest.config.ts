import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure domain and application code, in-memory fakes of
 * our own ports, milliseconds) and `integration` (the real stack: daprd
 * sidecars, PostgreSQL, Redis, SQLite, Kafka; booted once per run by the global setup).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'tools/*/test/**/*.test.ts', 'test/manifests/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // One stack, shared: files run one after another so a fault test cannot disturb another file.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
