import { relative } from 'node:path';
import { writeCliEnv } from './cli-env.js';
import { ROOT } from './paths.js';
import { AUTH_SECRETS_FILE, CLI_TOKENS, loadOrCreateTokens } from './secrets.js';
import { INFRASTRUCTURE, stackOptionsFromEnv, startStack } from './stack.js';
import type { Stack } from './types.js';
import { twinMode } from './twin.js';

/**
 * `npm start` ends here: bring everything up, print where it is, stop it all on Ctrl-C / SIGTERM.
 * `npm run infra` (--infra-only) starts only what the sidecars lean on, for `dapr run -f .` with
 * the real Dapr CLI (README, "With the Dapr CLI").
 */
async function main(): Promise<void> {
  const started = Date.now();
  const infraOnly = process.argv.includes('--infra-only');
  const log = (line: string) => console.log(`[${infraOnly ? 'infra' : 'launcher'}] ${line}`);
  // Handlers first: a signal that arrived before them would kill this process with the default
  // action and leave every child running (a script that stops us right after "ready" hit that).
  let stack: Stack | undefined;
  let stopRequested: string | undefined;
  const shutdown = async (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    if (!stack) return log(`${signal}: stopping as soon as the start-up is done…`);
    log(`${signal}: stopping…`);
    await stack.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const partial = stackOptionsFromEnv();
  if (partial.only) log(`!! only ${partial.only.join(', ')} (BURGER_STACK_ONLY)`);
  if (partial.without) log(`!! without ${partial.without.join(', ')} (BURGER_STACK_WITHOUT)`);
  stack = await startStack({ progress: log, ...partial, infraOnly });
  if (stopRequested) {
    const signal = stopRequested;
    stopRequested = undefined;
    return shutdown(signal);
  }
  if (infraOnly) {
    const envFile = relative(ROOT, writeCliEnv(stack.tools, loadOrCreateTokens([CLI_TOKENS])[CLI_TOKENS]!, stack.controlPlane));
    log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${INFRASTRUCTURE}`);
    log(`now, in another terminal: source ${envFile} && dapr run -f .`);
    return log('Ctrl-C stops the infrastructure (stop `dapr run` first)');
  }
  log(`whole stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const app of stack.apps) {
    log(
      `${app.appId.padEnd(8)} app :${app.appPort}  ${twinMode() ? 'no sidecar (the direct twin)' : `sidecar http :${app.daprHttpPort}  grpc :${app.daprGrpcPort}`}  logs .run/logs/${app.appId}.log`,
    );
  }
  const gateway = stack.apps.find((app) => app.instance === 'gateway');
  if (gateway) {
    const origin = `http://127.0.0.1:${gateway.appPort}`;
    log(`front door: ${origin}/api  (OpenAPI: ${origin}/docs, sign-in: ${origin}/auth)`);
    log(
      `demo accounts: kim, lee (customers), park (Gangnam kitchen), choi (Jongno kitchen); password: "demo-password" in ${AUTH_SECRETS_FILE}`,
    );
  }
  log('try: bash scripts/demo.sh   (places an order through the order sidecar)');
  log('Ctrl-C stops every process this launcher started');
}

main().catch((error: unknown) => {
  console.error(`[launcher] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
