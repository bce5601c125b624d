import { stackOptionsFromEnv, startStack } from './stack.js';

/** `npm start` ends here: bring everything up, print where it is, stop it all on Ctrl-C / SIGTERM. */
async function main(): Promise<void> {
  const started = Date.now();
  const log = (line: string) => console.log(`[launcher] ${line}`);
  const partial = stackOptionsFromEnv();
  if (partial.only) log(`!! only ${partial.only.join(', ')} (BURGER_STACK_ONLY)`);
  if (partial.without) log(`!! without ${partial.without.join(', ')} (BURGER_STACK_WITHOUT)`);
  const stack = await startStack({ progress: log, ...partial });
  log(`whole stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const app of stack.apps) {
    log(`${app.appId.padEnd(8)} app :${app.appPort}  sidecar http :${app.daprHttpPort}  grpc :${app.daprGrpcPort}  logs .run/logs/${app.appId}.log`);
  }
  log('try: bash scripts/demo.sh   (places an order through the order sidecar)');
  log('Ctrl-C stops every process this launcher started');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    await stack.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[launcher] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
