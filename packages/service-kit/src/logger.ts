import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs, one line per event, tagged with the app-id so interleaved logs stay readable. */
export function createLogger(appId: string): Logger {
  return pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { app: appId, instance: process.env.APP_INSTANCE ?? appId },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
