import { inject } from 'vitest';
import type { LocalSecrets } from '@burger/launcher';

export interface StackInfo {
  controlUrl: string;
  secrets: LocalSecrets;
  /** App-ids deliberately left out of this run. */
  absent: string[];
  /** Every running app instance: the app-id, or `<app-id>-<n>` for extra replicas. */
  replicas: string[];
  /** Keyed by instance: the app-id for the first replica, `<app-id>-<n>` for the others. */
  /** `appMetricsPort`: where the app's own /metrics is (its app port, unless APP_METRICS_PORT moves it: the gateway). */
  apps: Record<string, { appPort: number; daprHttpPort: number; metricsPort: number; appMetricsPort: number }>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stackInfo: StackInfo;
  }
}

export function stackInfo(): StackInfo {
  return inject('stackInfo');
}
