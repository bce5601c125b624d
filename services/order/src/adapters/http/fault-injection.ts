import type { Hono } from 'hono';
import { z } from 'zod';
import { parseJsonBody, type Logger } from '@burger/service-kit';
import { PaymentIntentClaimed } from '../../application/ports.js';
import type { CommitHooks } from '../dapr/order-repository.js';

/**
 * Test knobs around the commit of the next order's state transaction. Mounted only when
 * ORDER_FAULT_INJECTION=on (set by the test harness, never by default); like every route
 * it needs the app token.
 * - `before-commit` / `after-commit`: kill -9 this process right there (the outbox test).
 * - `commit-then-fail`: the transaction commits, then order is told it failed, the way a
 *   sidecar's retry of a write whose reply was lost meets the ETag of the intent the first
 *   attempt consumed (PaymentIntentClaimed). Fires once.
 * - `fail-before-commit`: the write fails without committing anything. Fires once.
 */
const Faults = z.object({ crash: z.enum(['none', 'before-commit', 'after-commit', 'commit-then-fail', 'fail-before-commit']) }).strict();
type Fault = z.infer<typeof Faults>['crash'];

export function faultInjection(logger: Logger): { hooks: CommitHooks; mount(app: Hono): void } {
  let armed: Fault = 'none';
  const at = (kill: Fault, fail: Fault, failure: (orderId: string) => Error) => (orderId: string) => {
    if (armed === kill) {
      logger.warn({ orderId, point: kill }, 'injected crash: SIGKILL');
      process.kill(process.pid, 'SIGKILL');
    }
    if (armed !== fail) return;
    armed = 'none';
    logger.warn({ orderId, point: fail }, 'injected storage failure');
    throw failure(orderId);
  };
  return {
    hooks: {
      beforeCommit: at('before-commit', 'fail-before-commit', () => new Error('injected: state transaction failed before committing')),
      afterCommit: at('after-commit', 'commit-then-fail', (orderId) => new PaymentIntentClaimed(orderId)),
    },
    mount(app) {
      app.put('/admin/faults', async (c) => {
        ({ crash: armed } = await parseJsonBody(c, Faults));
        logger.warn({ crash: armed }, 'fault injection changed');
        return c.json({ crash: armed });
      });
    },
  };
}
