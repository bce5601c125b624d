import type { Hono } from 'hono';
import { z } from 'zod';
import { parseJsonBody, type Logger } from '@burger/service-kit';
import type { CommitHooks } from '../dapr/order-repository.js';

/**
 * Test knob for the outbox requirement: kill -9 this process right before or
 * right after the next order's state transaction commits. Mounted only when
 * ORDER_FAULT_INJECTION=on (set by the test harness, never by default); like
 * every route it needs the app token.
 */
const Faults = z.object({ crash: z.enum(['none', 'before-commit', 'after-commit']) }).strict();

export function faultInjection(logger: Logger): { hooks: CommitHooks; mount(app: Hono): void } {
  let crash: z.infer<typeof Faults>['crash'] = 'none';
  const crashIf = (point: typeof crash) => (orderId: string) => {
    if (crash !== point) return;
    logger.warn({ orderId, point }, 'injected crash: SIGKILL');
    process.kill(process.pid, 'SIGKILL');
  };
  return {
    hooks: { beforeCommit: crashIf('before-commit'), afterCommit: crashIf('after-commit') },
    mount(app) {
      app.put('/admin/faults', async (c) => {
        ({ crash } = await parseJsonBody(c, Faults));
        logger.warn({ crash }, 'fault injection changed');
        return c.json({ crash });
      });
    },
  };
}
