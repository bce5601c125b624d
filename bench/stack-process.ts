import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR, ROOT } from '../tools/launcher/src/paths.js';

export interface RunningStack {
  /** Seconds from `npm start`'s script to the launcher's "whole stack ready". */
  readySeconds: number;
  stop(): Promise<void>;
}

/**
 * Starts the system exactly as the README's run command does (`scripts/up.sh`:
 * provisioning check, then the launcher) and times it until every app and sidecar
 * is ready. Cold: no data directories (PostgreSQL initdb, Kafka storage format,
 * empty Redis and SQLite) and no tsx transform cache; warm: both kept.
 */
export async function startStackProcess(
  mode: 'cold' | 'warm',
  log: (line: string) => void,
  env: Record<string, string> = {},
): Promise<RunningStack> {
  if (mode === 'cold') {
    rmSync(DATA_DIR, { recursive: true, force: true });
    rmSync(join(tmpdir(), `tsx-${userInfo().uid}`), { recursive: true, force: true });
  }
  const started = performance.now();
  const child = spawn('bash', [join(ROOT, 'scripts', 'up.sh')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('whole stack ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the stack exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
  });
  const readySeconds = (performance.now() - started) / 1000;
  log(`stack up (${mode}) in ${readySeconds.toFixed(1)} s`);
  let afterReady = '';
  // Both streams: a launcher that fails while stopping says why on stderr.
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (afterReady += chunk.toString()));
  return {
    readySeconds,
    stop: async () => {
      const code = await stopStack(child, exited);
      if (code !== 0) throw new Error(`the stack did not stop cleanly (exit ${code}):\n${afterReady.slice(-3000)}`);
    },
  };
}

async function stopStack(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  // SIGTERM, not SIGINT: a shell starts background jobs with SIGINT ignored.
  child.kill('SIGTERM');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited;
  clearTimeout(timeout);
  return code;
}
