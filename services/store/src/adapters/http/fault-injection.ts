import type { Hono } from 'hono';
import type { z } from 'zod';
import { crashIfArmed, parseJsonBody, withCommitCrash, type Logger } from '@burger/service-kit';
import type { KitchenTicket } from '../../domain/kitchen-ticket.js';
import type { TicketCommitHooks } from '../dapr/kitchen-tickets.js';

/**
 * Test knob for the outbox crash test: kill -9 this process right after a ticket write of the armed customer
 * commits, before its event is published. Mounted only when STORE_FAULT_INJECTION=on (set by the test harness, never
 * by default); like every route it needs the app token.
 */
const Faults = withCommitCrash({});

export function faultInjection(logger: Logger): { hooks: TicketCommitHooks; mount(app: Hono): void } {
  let armed: z.infer<typeof Faults> = { crash: 'none' };
  return {
    hooks: { afterCommit: (ticket: KitchenTicket) => crashIfArmed(logger, armed, ticket) },
    mount(app) {
      app.put('/admin/faults', async (c) => {
        armed = await parseJsonBody(c, Faults);
        logger.warn({ faults: armed }, 'fault injection changed');
        return c.json(armed);
      });
    },
  };
}
