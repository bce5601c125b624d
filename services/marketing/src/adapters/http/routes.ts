import type { Hono } from 'hono';
import { z } from 'zod';
import { CustomerId } from '@burger/contracts';
import { parseParams } from '@burger/service-kit';
import type { LearnTastes } from '../../application/learn-tastes.js';

const CustomerIdParam = z.object({ customerId: CustomerId });

export function mountMarketingRoutes(app: Hono, learnTastes: LearnTastes): void {
  app.get('/customers/:customerId/recommendations', async (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    return c.json({ customerId, ...(await learnTastes.recommendationsFor(customerId)) });
  });
}
