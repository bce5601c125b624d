import type { Hono } from 'hono';
import { z } from 'zod';
import { ApprovePaymentRequest, PaymentReceipt } from '@burger/contracts';
import { parseJsonBody, parseParams, Problem } from '@burger/service-kit';
import { ChargeDeclined, ConflictingCharge } from '../../domain/payment.js';
import type { ApprovePayment } from '../../application/approve-payment.js';
import { PaymentNotFound, type GetPayment } from '../../application/get-payment.js';

const OrderIdParam = z.object({ orderId: z.uuid() });

/** REST inbound adapter, reached only through Dapr service invocation from `order` (see pay-config.yaml). */
export function mountPaymentRoutes(app: Hono, useCases: { approvePayment: ApprovePayment; getPayment: GetPayment }): void {
  app.post('/payments', async (c) => {
    const request = await parseJsonBody(c, ApprovePaymentRequest);
    const { payment, created } = await useCases.approvePayment.execute(request).catch(rethrowAsProblem);
    return c.json(PaymentReceipt.parse(payment), created ? 201 : 200);
  });

  app.get('/payments/:orderId', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const payment = await useCases.getPayment.execute(orderId).catch(rethrowAsProblem);
    return c.json(PaymentReceipt.parse(payment));
  });
}

function rethrowAsProblem(error: unknown): never {
  if (error instanceof ChargeDeclined) throw new Problem(402, 'payment_declined', error.message);
  if (error instanceof ConflictingCharge) throw new Problem(409, 'conflicting_charge', error.message);
  if (error instanceof PaymentNotFound) throw new Problem(404, 'payment_not_found', error.message);
  throw error;
}
