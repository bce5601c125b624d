import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rollingRestart, startApp, tokensOf, waitForApp, type Stack } from '@burger/launcher';

/**
 * Lets test files (which run in workers, away from the processes) stop and
 * restart an app and its sidecar: POST /apps/<appId>/stop[?signal=SIGKILL], POST /apps/<appId>/start,
 * POST /apps/<appId>/rolling-restart (replicas one at a time, sidecar first).
 * Listens on loopback only, on a random port, for the duration of the test run.
 */
export async function startControlServer(stack: Stack): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://control');
    const match = /^\/apps\/([a-z0-9-]+)\/(stop|start|rolling-restart)$/.exec(url.pathname);
    // An app-id means all its replicas; an instance name (store-2) just that one.
    const instances = stack.apps.filter((candidate) => candidate.appId === match?.[1] || candidate.instance === match?.[1]);
    if (request.method !== 'POST' || !match || instances.length === 0) {
      response.writeHead(404).end();
      return;
    }
    const action = async () => {
      if (match[2] === 'rolling-restart') {
        await rollingRestart(stack, match[1]!);
      } else if (match[2] === 'stop') {
        const signal = (url.searchParams.get('signal') ?? 'SIGTERM') as NodeJS.Signals;
        await Promise.all(
          instances.flatMap((app) => [app.instance, `${app.instance}-daprd`]).map((name) => stack.supervisor.stop(name, 10_000, signal)),
        );
      } else {
        for (const app of instances) startApp(stack.supervisor, stack.tools, app, tokensOf(stack.tokens, app), stack.controlPlane);
        await Promise.all(instances.map((app) => waitForApp(stack.supervisor, app, tokensOf(stack.tokens, app))));
      }
    };
    action().then(
      () => response.writeHead(204).end(),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}
