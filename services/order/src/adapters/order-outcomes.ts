import { BulkheadFull, businessCounter, Problem } from '@burger/service-kit';
import { OrderDetails } from '@burger/contracts';
import { CancellationRefused, IllegalTransition, UnknownMenuItem, type OrderSnapshot } from '../domain/order.js';
import { NoStoreChosen, OrderNotFound, PaymentDeclined, PaymentUnavailable } from '../application/errors.js';
import { IdempotencyKeyInUse, IdempotencyKeyReused } from '../application/idempotency.js';
import { PaymentIntentClaimed } from '../application/ports.js';

/** What every inbound adapter (REST, gRPC) shares: the business counters and the meaning of each failure. */
export const ordersPlaced = businessCounter('burger_orders_placed_total', 'Orders placed (paid and recorded)');
export const cancellationsRequested = businessCounter('burger_order_cancellations_requested_total', 'Cancellations customers asked for');
/** Rises while the payment circuit breaker is open: the fallback answer, not an error of ours. */
export const paymentFallbacks = businessCounter('burger_payment_fallbacks_total', 'Orders answered "payment busy, try again shortly"');

/** An order as the contract shows it, whichever protocol asked. */
export function toDetails(order: OrderSnapshot): OrderDetails {
  return OrderDetails.parse(order);
}

/** The one place where ordering's failures get their HTTP meaning. */
export function rethrowAsProblem(error: unknown): never {
  if (error instanceof UnknownMenuItem) throw fieldProblem(`lines.${error.lineIndex}.menuItemId`, error.message);
  if (error instanceof NoStoreChosen) throw fieldProblem('storeId', error.message);
  if (error instanceof OrderNotFound) throw new Problem(404, 'order_not_found', error.message);
  if (error instanceof CancellationRefused) throw new Problem(409, 'cancellation_refused', error.message, { status: error.status });
  if (error instanceof IllegalTransition) throw new Problem(409, 'illegal_transition', error.message);
  if (error instanceof PaymentDeclined) throw new Problem(402, 'payment_declined', `${error.message}. No order was created.`);
  if (error instanceof IdempotencyKeyReused) throw new Problem(422, 'idempotency_key_reused', error.message);
  if (error instanceof IdempotencyKeyInUse)
    throw new Problem(409, 'idempotency_key_in_use', error.message, {}, { 'retry-after': String(error.retryAfterSeconds) });
  if (error instanceof PaymentIntentClaimed) {
    throw new Problem(
      503,
      'order_not_recorded',
      'The order could not be recorded; its charge is given back. Please try again.',
      {},
      { 'retry-after': '1' },
    );
  }
  if (error instanceof BulkheadFull) {
    paymentFallbacks.inc();
    throw new Problem(
      503,
      'busy',
      'We are taking a great many orders right now; please try again in a moment. No order was created and nothing was charged.',
      {},
      {
        'retry-after': String(error.retryAfterSeconds),
      },
    );
  }
  if (error instanceof PaymentUnavailable) {
    paymentFallbacks.inc();
    throw new Problem(
      503,
      'payment_unavailable',
      'Payment is busy, please try again shortly. No order was created and nothing was charged.',
      {},
      {
        'retry-after': String(error.retryAfterSeconds),
      },
    );
  }
  throw error;
}

function fieldProblem(field: string, message: string): Problem {
  return new Problem(400, 'validation_failed', `Invalid request body: ${field}: ${message}`, { fields: [{ field, message }] });
}
