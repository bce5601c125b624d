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
  /** Self-healing: start it again when it exits on its own (with backoff). */
  restartOnExit?: boolean;
  /** Self-healing: restart it when this URL fails `failureThreshold` checks in a row. */
  liveness?: { url: string; headers?: Record<string, string>; everyMs: number; failureThreshold: number };
}

/** Restart pauses grow 0.5 s, 1 s, 2 s … up to 10 s; a process that stays up a minute starts again from 0.5 s. */
const BACKOFF = { firstMs: 500, maxMs: 10_000, resetAfterMs: 60_000 } as const;

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  startedAt: number;
  livenessTimer?: NodeJS.Timeout;
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
  private readonly restarts = new Map<string, { count: number; nextDelayMs: number }>();
  private shuttingDown = false;

  constructor(
    private readonly onUnexpectedExit: (name: string, code: number | null) => void = () => {},
    private readonly onHeal: (name: string, why: string) => void = () => {},
  ) {
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
        const entry = this.running.get(spec.name);
        if (entry?.livenessTimer) clearInterval(entry.livenessTimer);
        this.running.delete(spec.name);
        log.end();
        if (!this.stopping.delete(spec.name)) {
          this.onUnexpectedExit(spec.name, code);
          if (spec.restartOnExit && !this.shuttingDown && entry) this.scheduleRestart(spec, entry.startedAt, `exited with code ${code}`);
        }
        done(code);
      });
      child.once('error', () => done(null));
    });
    const entry: Running = { spec, child, exited, startedAt: Date.now() };
    if (spec.liveness) entry.livenessTimer = this.watchLiveness(spec);
    this.running.set(spec.name, entry);
    return child;
  }

  /** How often each process was restarted by self-healing. */
  restartCount(name: string): number {
    return this.restarts.get(name)?.count ?? 0;
  }

  private scheduleRestart(spec: ProcessSpec, startedAt: number, why: string): void {
    const previous = this.restarts.get(spec.name);
    const delay = !previous || Date.now() - startedAt > BACKOFF.resetAfterMs ? BACKOFF.firstMs : previous.nextDelayMs;
    this.restarts.set(spec.name, { count: (previous?.count ?? 0) + 1, nextDelayMs: Math.min(delay * 2, BACKOFF.maxMs) });
    this.onHeal(spec.name, `${why}; restarting in ${delay} ms`);
    setTimeout(() => {
      if (!this.shuttingDown && !this.running.has(spec.name)) this.start(spec);
    }, delay).unref();
  }

  /** A process that stops answering its liveness URL is killed; restartOnExit then brings it back. */
  private watchLiveness(spec: ProcessSpec): NodeJS.Timeout {
    const { url, headers, everyMs, failureThreshold } = spec.liveness!;
    let failures = 0;
    let checking = false;
    // Like a startup probe: failures count only once the process has answered once (start-up is waitForApp's business).
    let seenAlive = false;
    const timer = setInterval(async () => {
      if (checking || this.stopping.has(spec.name)) return;
      checking = true;
      const alive = await fetch(url, { headers, signal: AbortSignal.timeout(Math.min(everyMs, 2_000)) })
        .then((response) => (void response.body?.cancel(), response.ok))
        .catch(() => false);
      checking = false;
      seenAlive ||= alive;
      if (!seenAlive) return;
      failures = alive ? 0 : failures + 1;
      if (failures >= failureThreshold) {
        clearInterval(timer);
        this.onHeal(spec.name, `liveness failed ${failures} times in a row; killing it`);
        const pid = this.running.get(spec.name)?.child.pid;
        if (pid) signalGroup(pid, 'SIGKILL');
      }
    }, everyMs);
    timer.unref();
    return timer;
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
    if (entry.livenessTimer) clearInterval(entry.livenessTimer);
    signalGroup(entry.child.pid, signal);
    const timedOut = await Promise.race([entry.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      signalGroup(entry.child.pid, 'SIGKILL');
      await entry.exited;
    }
  }

  /** Stops apps, then sidecars, then infrastructure; each tier in parallel. */
  async stopAll(graceMs?: number): Promise<void> {
    this.shuttingDown = true;
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
      throw new Error(
        `another launcher (pid ${holder}) is already running this stack: stop it first (Ctrl-C in its terminal, or kill ${holder})`,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileSync(LAUNCHER_PID, String(process.pid));
  return () => rmSync(LAUNCHER_PID, { force: true });
}

/** Kills process groups left behind by a launcher that could not clean up (kill -9, power loss). Call after claimLauncherLock. */
export async function reapOrphans(): Promise<string[]> {
  let files: string[];
  try {
    files = readdirSync(PID_DIR);
  } catch {
    return [];
  }
  const reaped: Array<{ name: string; pid: number }> = [];
  for (const file of files.filter((name) => name.endsWith('.pid'))) {
    const pid = Number(readFileSync(join(PID_DIR, file), 'utf8'));
    if (pid > 0 && isAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      reaped.push({ name: file.replace(/\.pid$/, ''), pid });
    }
    rmSync(join(PID_DIR, file), { force: true });
  }
  // SIGKILL is not instant: a PostgreSQL started while the old one's backends still held its port and shared
  // memory exited with 1 (seen in the test run's last phase). So wait for every killed group to be gone.
  const deadline = Date.now() + 10_000;
  while (reaped.some(({ pid }) => isAlive(-pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return reaped.map(({ name }) => name);
}

/** Whether a process with this pid exists (signal 0 checks without sending anything); `-pid`: any of its group. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
