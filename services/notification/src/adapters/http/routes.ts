import type { Hono } from 'hono';
import { z } from 'zod';
import { CustomerId } from '@burger/contracts';
import { parseParams } from '@burger/service-kit';
import type { CustomerInbox } from '../../application/ports.js';

const CustomerIdParam = z.object({ customerId: CustomerId });

export function mountNotificationRoutes(app: Hono, inbox: CustomerInbox): void {
  app.get('/customers/:customerId/messages', async (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    return c.json({ customerId, messages: await inbox.list(customerId) });
  });
}
