import type { Hono } from 'hono';
import { z } from 'zod';
import { crashIfArmed, parseJsonBody, withCommitCrash, type Logger } from '@burger/service-kit';
import type { Payment } from '../../domain/payment.js';
import type { PaymentCommitHooks } from '../dapr/payment-repository.js';

/**
 * Test knobs for the "payment overload" requirement: extra latency and a
 * failure rate on POST /payments, settable at run time through
 * PUT /admin/faults. Mounted only when PAY_FAULT_INJECTION=on (never by
 * default), and like every route it needs the app token, so only the sidecar
 * or a test holding the local token can reach it. Plus the outbox crash
 * test's point: kill -9 right after a payment write of the armed customer commits.
 */
const Faults = withCommitCrash({
  latencyMs: z.number().int().min(0).max(60_000),
  failureRate: z.number().min(0).max(1),
});
type Faults = z.infer<typeof Faults>;

/** Commit hooks for the repository (the crash point) and the routes that set the knobs. */
export function faultInjection(logger: Logger): { hooks: PaymentCommitHooks; mount(app: Hono): void } {
  let faults: Faults = { latencyMs: 0, failureRate: 0, crash: 'none' };
  const hooks = { afterCommit: (payment: Payment) => crashIfArmed(logger, faults, payment) };
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
