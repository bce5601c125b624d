import type { Logger } from './logger.js';

/**
 * Runs `task` now and then every `everyMs` after each run ends (never two at
 * once), logging failures instead of stopping. Returns the function that stops it.
 */
export function runPeriodically(name: string, everyMs: number, task: () => Promise<unknown>, logger: Logger): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    task()
      .catch((error: unknown) =>
        logger.warn({ task: name, err: error instanceof Error ? error.message : error }, 'periodic task failed; trying again'),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
