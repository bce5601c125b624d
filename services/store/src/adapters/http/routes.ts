import type { Hono } from 'hono';
import { z } from 'zod';
import { StoreQueueView } from '@burger/contracts';
import { parseParams } from '@burger/service-kit';
import type { GetStoreQueue } from '../../application/get-store-queue.js';

const StoreIdParam = z.object({ storeId: z.string().min(1).max(64) });

export function mountStoreRoutes(app: Hono, useCases: { getStoreQueue: GetStoreQueue }): void {
  app.get('/stores/:storeId/queue', async (c) => {
    const { storeId } = parseParams(c, StoreIdParam);
    const queue = await useCases.getStoreQueue.execute(storeId);
    return c.json(StoreQueueView.parse({ storeId: queue.storeId, orders: queue.tickets }));
  });
}
