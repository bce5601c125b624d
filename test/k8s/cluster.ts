import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

/**
 * The cluster of `npm run test:k8s` as the tests see it: kubectl with the admin
 * kubeconfig, run inside the cluster's network namespace (scripts/test-k8s.sh starts
 * vitest there and passes KUBECTL, KUBECONFIG and KUSTOMIZE).
 */
export const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the k8s tests with npm run test:k8s`);
  return value;
}

export const NAMESPACE = 'burger';

/** kubectl's stdout; throws with its stderr when it fails. `input` goes to its stdin. */
export async function kubectl(args: string[], input?: string): Promise<string> {
  const options = { env: { ...process.env, KUBECONFIG: env('KUBECONFIG') }, maxBuffer: 64 * 1024 * 1024 };
  if (input === undefined) return (await run(env('KUBECTL'), args, options)).stdout;
  return new Promise((resolve, reject) => {
    const child = execFile(env('KUBECTL'), args, options, (error, stdout, stderr) =>
      error ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
    child.stdin!.end(input);
  });
}

/** kubectl's exit code and output, for commands expected to fail. */
export async function kubectlOutcome(args: string[], input?: string): Promise<{ ok: boolean; output: string }> {
  try {
    return { ok: true, output: await kubectl(args, input) };
  } catch (error) {
    return { ok: false, output: String(error) };
  }
}

export async function json<T = any>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

/** What `kubectl apply -k DIR` would send: the overlay rendered by the project's kustomize. */
export async function render(dir: string): Promise<string> {
  return (await run(env('KUSTOMIZE'), ['build', join(ROOT, dir)], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}

export async function pods(selector: string): Promise<any[]> {
  return (await json(['-n', NAMESPACE, 'get', 'pods', '-l', selector])).items;
}

/** A pod that runs and is not on its way out (a terminating one still runs through its preStop). */
export const staying = (pod: any): boolean => pod.status.phase === 'Running' && !pod.metadata.deletionTimestamp;

/**
 * Waits until no pod of `selector` is terminating. A terminating app pod keeps serving for its
 * preStop (k8s/base/kustomization.yaml), so a checkpoint that replaced pods waits for the old
 * ones to be gone before the next one counts pods.
 */
export async function settled(selector: string): Promise<void> {
  await until(
    `no terminating pod of ${selector}`,
    async () => ((await pods(selector)).some((p) => p.metadata.deletionTimestamp) ? undefined : true),
    300_000,
    3_000,
  );
}

/** Polls `probe` until it returns a value (not undefined), or fails naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((done) => setTimeout(done, everyMs));
  }
  throw new Error(`${what}: not so after ${timeoutMs / 1000}s${last ? ` (last error: ${String(last)})` : ''}`);
}

/** `kubectl port-forward` to a Service, as a developer reaches a local cluster; resolves once it listens. */
export async function portForward(target: string, local: number, remote: number): Promise<ChildProcess> {
  const child = spawn(env('KUBECTL'), ['-n', NAMESPACE, 'port-forward', '--address', '127.0.0.1', target, `${local}:${remote}`], {
    env: { ...process.env, KUBECONFIG: env('KUBECONFIG') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  // kubectl prints "Forwarding from 127.0.0.1:<local> -> <remote>" once it listens; the lines end if it exits.
  let listening = false;
  for await (const line of createInterface({ input: child.stdout! })) if ((listening = line.startsWith('Forwarding from'))) break;
  if (!listening) throw new Error(`port-forward ${target} exited: ${errors}`);
  // It logs every connection: keep reading, or a full pipe would stall it.
  child.stdout!.on('data', () => {});
  return child;
}

export const secretValue = async (secret: string, key: string) =>
  Buffer.from((await json(['-n', NAMESPACE, 'get', 'secret', secret])).data[key], 'base64').toString('utf8');
