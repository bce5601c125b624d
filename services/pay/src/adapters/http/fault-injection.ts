import type { Hono } from 'hono';
import { z } from 'zod';
import { parseJsonBody, type Logger } from '@burger/service-kit';

/**
 * Test knobs for the "payment overload" requirement: extra latency and a
 * failure rate on POST /payments, settable at run time through
 * PUT /admin/faults. Mounted only when PAY_FAULT_INJECTION=on (never by
 * default), and like every route it needs the app token, so only the sidecar
 * or a test holding the local token can reach it.
 */
const Faults = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000),
    failureRate: z.number().min(0).max(1),
    // The outbox crash test: kill -9 right after the next payment write commits, before anything is published.
    crash: z.enum(['none', 'after-commit']).default('none'),
  })
  .strict();
type Faults = z.infer<typeof Faults>;

/** Commit hooks for the repository (the crash point) and the routes that set the knobs. */
export function faultInjection(logger: Logger): { hooks: { afterCommit(orderId: string): void }; mount(app: Hono): void } {
  let faults: Faults = { latencyMs: 0, failureRate: 0, crash: 'none' };
  const hooks = {
    afterCommit(orderId: string) {
      if (faults.crash !== 'after-commit') return;
      logger.warn({ orderId }, 'injected crash after the payment commit: SIGKILL');
      process.kill(process.pid, 'SIGKILL');
    },
  };
  return {
    hooks,
    mount: (app) =>
      mountRoutes(
        app,
        logger,
        () => faults,
        (next) => (faults = next),
      ),
  };
}

function mountRoutes(app: Hono, logger: Logger, current: () => Faults, set: (faults: Faults) => void): void {
  app.put('/admin/faults', async (c) => {
    const faults = await parseJsonBody(c, Faults);
    set(faults);
    logger.warn({ faults }, 'fault injection changed');
    return c.json(faults);
  });
  app.get('/admin/faults', (c) => c.json(current()));

  app.use('/payments', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const faults = current();
    if (faults.latencyMs > 0) await new Promise((done) => setTimeout(done, faults.latencyMs));
    // A caller that gave up while we "were slow" must not be charged behind its back.
    if (c.req.raw.signal.aborted) return c.json({ error: 'caller_gone', message: 'The caller gave up; nothing was charged' }, 503);
    if (Math.random() < faults.failureRate)
      return c.json({ error: 'injected_failure', message: 'Payment provider failure (injected)' }, 500);
    return next();
  });
}
