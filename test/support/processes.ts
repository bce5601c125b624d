import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './api.js';
export { isAlive } from '../../tools/launcher/src/supervisor.js';
import { stackInfo } from './stack-info.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** How many lines of an instance's log (`.run/logs/<instance>.log`) carry `message` as their `msg`. */
export const logLines = (instance: string, message: string) =>
  readFileSync(join(ROOT, '.run', 'logs', `${instance}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"msg":"${message}"`)).length;

/** The pid the launcher wrote for a process (an app instance, `<instance>-dapr`, or an infrastructure name). */
export const pidOf = (name: string) => Number(readFileSync(join(ROOT, '.run', 'pids', `${name}.pid`), 'utf8'));

/** Waits until the launcher has started `appId` again as a new process that answers its readiness probe. */
export async function readyAgain(appId: string, oldPid: number, timeoutMs = 30_000): Promise<number> {
  const info = stackInfo();
  return eventually(
    `${appId} back with a new process`,
    async () => {
      let pid: number;
      try {
        pid = pidOf(appId);
      } catch {
        return undefined;
      }
      if (pid === oldPid) return undefined;
      const response = await fetch(`http://127.0.0.1:${info.apps[appId]!.appPort}/readyz`, { signal: AbortSignal.timeout(1_000) }).catch(
        () => undefined,
      );
      return response?.ok ? pid : undefined;
    },
    timeoutMs,
  );
}
