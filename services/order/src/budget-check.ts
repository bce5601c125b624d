import { minimumAbandonedPaymentAgeMs } from '@burger/contracts';

/**
 * ABANDONED_PAYMENT_AFTER_MS, checked against the budgets: younger than a live request can be,
 * the sweep would refund payments of orders about to be stored. Unset: the derived minimum.
 * Throws (order then refuses to start) when it is too short or not a number.
 */
export function abandonedPaymentAfterMs(setting: string | undefined, minimumMs = minimumAbandonedPaymentAgeMs()): number {
  if (setting === undefined || setting === '') return minimumMs;
  const value = Number(setting);
  if (!Number.isInteger(value) || value < minimumMs) {
    throw new Error(
      `ABANDONED_PAYMENT_AFTER_MS=${setting} is below the ${minimumMs} ms a live request may take (gateway budget + pay call + storage retries + margin, packages/contracts/src/budgets.ts); set it to at least ${minimumMs} or leave it unset`,
    );
  }
  return value;
}
