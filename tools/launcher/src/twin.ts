import { randomBytes } from 'node:crypto';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.js';
import type { AppSpec } from './run-file.js';
import type { AppTokens, TokensByApp } from './secrets.js';

/**
 * BURGER_TWIN=1: the benchmark's direct twin (issue 18, `npm run bench:gateway`). The same apps on the same
 * stores, broker and component YAML, but no daprd, sentry or scheduler: each app loads bench/twin/preload.ts,
 * which answers its sidecar calls in-process with the stores' and the broker's own drivers. Never a way to run
 * the system: there is no access control between apps, no mTLS, no resiliency on invocation and no tracing.
 */
export const twinMode = (env: NodeJS.ProcessEnv = process.env): boolean => env.BURGER_TWIN === '1';

const PRELOAD = pathToFileURL(join(ROOT, 'bench', 'twin', 'preload.ts')).href;

/**
 * Every app shares one token pair whose two halves are equal: without sidecars, the caller's API token is what
 * the callee's guard checks, so each app still checks a token on every request, as behind its sidecar.
 */
export function twinTokens(tokens: TokensByApp): TokensByApp {
  const shared = randomBytes(24).toString('base64url');
  const pair: AppTokens = { 'dapr-api-token': shared, 'app-api-token': shared };
  return Object.fromEntries(Object.keys(tokens).map((appId) => [appId, pair]));
}

/** The app's command with the twin's preload after tsx's, and what the preload needs: its components and every app's ports. */
export function twinProcess(app: AppSpec, apps: AppSpec[]): { command: string[]; env: Record<string, string> } {
  const peers: Record<string, number[]> = {};
  for (const other of apps) peers[other.appId] = [...(peers[other.appId] ?? []), other.appPort];
  const [node, ...rest] = app.command as [string, ...string[]];
  const script = rest.pop()!;
  return {
    command: [node, ...rest, '--import', PRELOAD, script],
    env: { BURGER_TWIN: '1', BURGER_TWIN_RESOURCES: app.resourcesPaths.join(delimiter), BURGER_TWIN_PEERS: JSON.stringify(peers) },
  };
}
