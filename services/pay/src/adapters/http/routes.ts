import type { Hono } from 'hono';
import { z } from 'zod';
import { ApprovePaymentRequest, CustomerId, PageQuery, PaymentReceipt } from '@burger/contracts';
import { businessCounter, parseJsonBody, parseParams, parseQuery, Problem } from '@burger/service-kit';
import { ChargeDeclined, ConflictingCharge, RefundRefused } from '../../domain/payment.js';
import type { ApprovePayment } from '../../application/approve-payment.js';
import { PaymentNotFound, type GetPayment } from '../../application/get-payment.js';
import type { PaymentHistory } from '../../application/payment-history.js';
import type { RefundPayment } from '../../application/refund-payment.js';

const OrderIdParam = z.object({ orderId: z.uuid() });
const paymentsApproved = businessCounter('burger_payments_approved_total', 'Charges approved (retries of the same order not counted)');
const CustomerIdParam = z.object({ customerId: CustomerId });

export interface PaymentUseCases {
  approvePayment: ApprovePayment;
  getPayment: GetPayment;
  refundPayment: RefundPayment;
  history: PaymentHistory;
}

/** REST inbound adapter, reached only through Dapr service invocation from `order` (see pay-config.yaml). */
export function mountPaymentRoutes(app: Hono, useCases: PaymentUseCases): void {
  app.post('/payments', async (c) => {
    const request = await parseJsonBody(c, ApprovePaymentRequest);
    const { payment, created } = await useCases.approvePayment.execute(request).catch(rethrowAsProblem);
    if (created) paymentsApproved.inc();
    return c.json(PaymentReceipt.parse(payment), created ? 201 : 200);
  });

  app.get('/payments/:orderId', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const payment = await useCases.getPayment.execute(orderId).catch(rethrowAsProblem);
    return c.json(PaymentReceipt.parse(payment));
  });

  // Compensation from `order` when it charged but could not record the order. "Nothing was charged" is a
  // successful answer (200, `charged: false`), not a 404: Dapr's resiliency counts every 4xx from an app as a
  // failure (pkg/api/http/directmessaging.go → resiliency.NewCodeError), so a sweep settling many never-charged
  // intents would open the payment breaker for every customer.
  // Who asks is the app-id pay's sidecar names (`dapr-caller-app-id`, set by the calling sidecar from its own
  // identity): trustworthy because pay's app accepts only its own sidecar (its app API token).
  app.post('/payments/:orderId/refund', async (c) => {
    const { orderId } = parseParams(c, OrderIdParam);
    const ground = { kind: 'never-stored', requestedBy: c.req.header('dapr-caller-app-id') } as const;
    const payment = await useCases.refundPayment.execute(orderId, ground).catch((error: unknown) => {
      if (error instanceof PaymentNotFound) return undefined;
      return rethrowAsProblem(error);
    });
    return payment
      ? c.json(PaymentReceipt.parse(payment))
      : c.json({ orderId, charged: false, message: 'Nothing was charged for this order; nothing to refund' });
  });

  app.get('/customers/:customerId/payments', async (c) => {
    const { customerId } = parseParams(c, CustomerIdParam);
    const page = parseQuery(c, PageQuery);
    const { payments, nextCursor } = await useCases.history.forCustomer(customerId, page);
    return c.json({ customerId, payments: payments.map((p) => PaymentReceipt.parse(p)), ...(nextCursor ? { nextCursor } : {}) });
  });
}

function rethrowAsProblem(error: unknown): never {
  if (error instanceof ChargeDeclined) throw new Problem(402, 'payment_declined', error.message);
  if (error instanceof ConflictingCharge) throw new Problem(409, 'conflicting_charge', error.message);
  if (error instanceof PaymentNotFound) throw new Problem(404, 'payment_not_found', error.message);
  if (error instanceof RefundRefused) throw new Problem(409, 'refund_refused', `Refused: ${error.message}`);
  throw error;
}
