import { inject } from 'vitest';
import type { AppTokens, LocalSecrets, TokensByApp } from '@burger/launcher';

export interface StackInfo {
  controlUrl: string;
  secrets: LocalSecrets;
  /** Each app-id's own pair: its sidecar accepts only its Dapr API token, the app only its app API token. */
  tokens: TokensByApp;
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

/** The Dapr API token an app presents to its own sidecar (the one to use when calling that sidecar). */
export function daprToken(appId: string): string {
  return tokensFor(appId)['dapr-api-token'];
}

/** The app API token an app's sidecar presents to it (the one to use when calling the app directly). */
export function appToken(appId: string): string {
  return tokensFor(appId)['app-api-token'];
}

/** `store-2` is a replica of `store`: same app-id, same tokens. */
function tokensFor(instanceOrAppId: string): AppTokens {
  const tokens = stackInfo().tokens;
  const appId = tokens[instanceOrAppId] ? instanceOrAppId : instanceOrAppId.replace(/-\d+$/, '');
  const pair = tokens[appId];
  if (!pair) throw new Error(`no tokens for ${instanceOrAppId}`);
  return pair;
}
