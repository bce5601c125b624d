import type { Hono } from 'hono';
import { z } from 'zod';
import { KitchenStatus, StoreQueueView, StoreRef } from '@burger/contracts';
import { businessCounter, ConcurrentWriteError, parseParams, Problem } from '@burger/service-kit';
import { KitchenRefusal, TicketNotFound, type KitchenStep } from '../../domain/kitchen-ticket.js';
import type { GetStoreQueue } from '../../application/get-store-queue.js';
import type { KitchenTickets } from '../../application/ports.js';
import type { KitchenSteps } from '../../application/kitchen-steps.js';

const StoreIdParam = z.object({ storeId: StoreRef });
const TicketParams = StoreIdParam.extend({ orderId: z.uuid() });
const OrderIdParam = z.object({ orderId: z.uuid() });

const kitchenStepsTaken = businessCounter('burger_kitchen_steps_total', 'Kitchen steps taken by staff', ['step'] as const);

const STEPS: Record<string, KitchenStep> = {
  'start-cooking': 'startCooking',
  'start-delivery': 'startDelivery',
  delivered: 'markDelivered',
};

/** The kitchen board's API: the branch's queue, and the three steps staff take. */
export function mountStoreRoutes(
  app: Hono,
  useCases: { getStoreQueue: GetStoreQueue; kitchenSteps: KitchenSteps; tickets: Pick<KitchenTickets, 'read'> },
): void {
  // The kitchen's word on an order, for pay: money goes back only for an order the kitchen cancelled
  // (store's access list admits the gateway and pay only).
  app.get('/orders/:orderId/kitchen-status', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const { ticket } = await useCases.tickets.read(orderId);
    return c.json(KitchenStatus.parse({ orderId, status: ticket?.status ?? 'unknown' }));
  });

  app.get('/stores/:storeId/queue', async (c) => {
    const { storeId } = parseParams(c, StoreIdParam);
    const queue = await useCases.getStoreQueue.execute(storeId);
    return c.json(StoreQueueView.parse({ storeId: queue.storeId, orders: queue.tickets }));
  });

  for (const [path, step] of Object.entries(STEPS)) {
    app.post(`/stores/:storeId/orders/:orderId/${path}`, async (c) => {
      const { storeId, orderId } = parseParams(c, TicketParams);
      const ticket = await useCases.kitchenSteps.execute(storeId, orderId, step).catch(rethrowAsProblem);
      kitchenStepsTaken.inc({ step });
      return c.json({ orderId: ticket.orderId, storeId: ticket.storeId, status: ticket.status });
    });
  }
}

function rethrowAsProblem(error: unknown): never {
  if (error instanceof TicketNotFound) throw new Problem(404, 'order_not_in_kitchen', error.message);
  if (error instanceof KitchenRefusal) throw new Problem(409, 'kitchen_step_refused', `Refused: ${error.message}`);
  if (error instanceof ConcurrentWriteError) {
    throw new Problem(
      503,
      'kitchen_busy',
      'The kitchen board is very busy; nothing was changed. Please try again.',
      {},
      { 'retry-after': '1' },
    );
  }
  throw error;
}
