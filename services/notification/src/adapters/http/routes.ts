import type { Hono } from 'hono';
import { z } from 'zod';
import { CustomerId, PageQuery } from '@burger/contracts';
import { parseParams, parseQuery } from '@burger/service-kit';
import type { CustomerInbox } from '../../application/ports.js';

const CustomerIdParam = z.object({ customerId: CustomerId });

export function mountNotificationRoutes(app: Hono, inbox: CustomerInbox): void {
  app.get('/customers/:customerId/messages', async (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    const { messages, nextCursor } = await inbox.list(customerId, parseQuery(c, PageQuery));
    return c.json({ customerId, messages, ...(nextCursor ? { nextCursor } : {}) });
  });
}
