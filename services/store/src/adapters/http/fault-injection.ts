import type { Hono } from 'hono';
import { z } from 'zod';
import { parseJsonBody, type Logger } from '@burger/service-kit';

/**
 * Test knob for the outbox crash test: kill -9 this process right after the next ticket write commits, before its
 * event is published. Mounted only when STORE_FAULT_INJECTION=on (set by the test harness, never by default); like
 * every route it needs the app token.
 */
const Faults = z.object({ crash: z.enum(['none', 'after-commit']) }).strict();

export function faultInjection(logger: Logger): { hooks: { afterCommit(orderId: string): void }; mount(app: Hono): void } {
  let crash: z.infer<typeof Faults>['crash'] = 'none';
  return {
    hooks: {
      afterCommit(orderId) {
        if (crash !== 'after-commit') return;
        logger.warn({ orderId }, 'injected crash after the ticket commit: SIGKILL');
        process.kill(process.pid, 'SIGKILL');
      },
    },
    mount(app) {
      app.put('/admin/faults', async (c) => {
        ({ crash } = await parseJsonBody(c, Faults));
        logger.warn({ crash }, 'fault injection changed');
        return c.json({ crash });
      });
    },
  };
}
