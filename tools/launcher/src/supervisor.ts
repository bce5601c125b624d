import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOG_DIR, RUN_DIR } from './paths.js';

const PID_DIR = join(RUN_DIR, 'pids');

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Shutdown order: higher tiers stop first (apps 2, sidecars 1, infrastructure 0). */
  tier: 0 | 1 | 2;
}

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Starts processes in their own process groups (so a child's children go down
 * with it), sends their output to .run/logs/<name>.log and records their pids,
 * so a launcher that was itself killed -9 can clean up on its next start.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  /** Names being stopped on purpose: their exit is expected, not news. */
  private readonly stopping = new Set<string>();

  constructor(private readonly onUnexpectedExit: (name: string, code: number | null) => void = () => {}) {
    mkdirSync(LOG_DIR, { recursive: true });
    mkdirSync(PID_DIR, { recursive: true });
  }

  start(spec: ProcessSpec): ChildProcess {
    if (this.running.has(spec.name)) throw new Error(`${spec.name} is already running`);
    const log = createWriteStream(join(LOG_DIR, `${spec.name}.log`), { flags: 'a' });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    if (child.pid) writeFileSync(join(PID_DIR, `${spec.name}.pid`), String(child.pid));
    const exited = new Promise<number | null>((done) => {
      child.once('exit', (code) => {
        rmSync(join(PID_DIR, `${spec.name}.pid`), { force: true });
        this.running.delete(spec.name);
        log.end();
        if (!this.stopping.delete(spec.name)) this.onUnexpectedExit(spec.name, code);
        done(code);
      });
      child.once('error', () => done(null));
    });
    this.running.set(spec.name, { spec, child, exited });
    return child;
  }

  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  names(): string[] {
    return [...this.running.keys()];
  }

  /** SIGTERM to the whole process group, SIGKILL if it has not exited after `graceMs`. */
  async stop(name: string, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const entry = this.running.get(name);
    if (!entry?.child.pid) return;
    this.stopping.add(name);
    signalGroup(entry.child.pid, signal);
    const timedOut = await Promise.race([entry.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      signalGroup(entry.child.pid, 'SIGKILL');
      await entry.exited;
    }
  }

  /** Stops apps, then sidecars, then infrastructure; each tier in parallel. */
  async stopAll(graceMs?: number): Promise<void> {
    for (const tier of [2, 1, 0]) {
      const names = [...this.running.values()].filter((entry) => entry.spec.tier === tier).map((entry) => entry.spec.name);
      await Promise.all(names.map((name) => this.stop(name, graceMs)));
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

const LAUNCHER_PID = join(PID_DIR, 'launcher.lock');

/**
 * One launcher per checkout: a second one would fight the first over ports and
 * data directories. Returns a release function.
 */
export function claimLauncherLock(): () => void {
  mkdirSync(PID_DIR, { recursive: true });
  try {
    const holder = Number(readFileSync(LAUNCHER_PID, 'utf8'));
    if (holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new Error(`another launcher (pid ${holder}) is already running this stack: stop it first (Ctrl-C in its terminal, or kill ${holder})`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(LAUNCHER_PID, String(process.pid));
  return () => rmSync(LAUNCHER_PID, { force: true });
}

/** Kills process groups left behind by a launcher that could not clean up (kill -9, power loss). Call after claimLauncherLock. */
export function reapOrphans(): string[] {
  let files: string[];
  try {
    files = readdirSync(PID_DIR);
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const file of files.filter((name) => name.endsWith('.pid'))) {
    const pid = Number(readFileSync(join(PID_DIR, file), 'utf8'));
    if (pid > 0 && isAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      reaped.push(file.replace(/\.pid$/, ''));
    }
    rmSync(join(PID_DIR, file), { force: true });
  }
  return reaped;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
