import { AppId, Budgets, PaymentReceipt } from '@burger/contracts';
import { invokeApp, type InvocationResult, type Logger } from '@burger/service-kit';
import { PaymentDeclined, PaymentUnavailable } from '../../application/errors.js';
import type { PaymentApproval, PaymentGateway } from '../../application/ports.js';

/** How long order waits for pay in total; the sidecar's resiliency policy (timeout, retries, breaker) sits inside it. */
const CALL_BUDGET_MS = Budgets.payWaitMs;
const RETRY_AFTER_SECONDS = 5;

/** pay, reached through Dapr service invocation (the sidecar finds it and applies the resiliency policy). */
export class DaprPaymentGateway implements PaymentGateway {
  constructor(private readonly logger: Logger) {}

  async approve(request: { orderId: string; customerId: string; storeId: string; amountCents: number }): Promise<PaymentApproval> {
    let result: InvocationResult;
    try {
      result = await invokeApp(AppId.pay, 'payments', { body: request, timeoutMs: CALL_BUDGET_MS });
    } catch (error) {
      this.logger.warn({ err: error, orderId: request.orderId }, 'pay unreachable');
      throw new PaymentUnavailable(RETRY_AFTER_SECONDS, error);
    }
    if (result.status === 201 || result.status === 200) {
      return { paymentId: PaymentReceipt.parse(result.body).paymentId };
    }
    if (result.status === 402) {
      const reason = (result.body as { message?: string } | undefined)?.message ?? 'declined';
      throw new PaymentDeclined(reason);
    }
    // 5xx, an open breaker, pay not registered / unreachable: none of it means "declined".
    this.logger.warn({ orderId: request.orderId, status: result.status, body: result.body }, 'pay unavailable');
    throw new PaymentUnavailable(RETRY_AFTER_SECONDS, new Error(`pay answered ${result.status}: ${JSON.stringify(result.body)}`));
  }

  async refund(orderId: string): Promise<void> {
    const result = await invokeApp(AppId.pay, `payments/${orderId}/refund`, { body: {}, timeoutMs: CALL_BUDGET_MS });
    // 200 with `charged: false` (or 404 from an older pay): pay never charged this order, nothing to give back.
    if (result.status === 404) return;
    if (result.status >= 300) throw new Error(`refund of ${orderId}: pay answered ${result.status}: ${JSON.stringify(result.body)}`);
  }
}
