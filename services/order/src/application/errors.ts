/** Failures a use case reports to whichever inbound adapter called it (HTTP today, gRPC tomorrow). */

export class OrderNotFound extends Error {
  constructor(readonly orderId: string) {
    super(`No order ${orderId}`);
  }
}

/** The payment provider said no (card declined, limit exceeded …): a final answer, not worth retrying. */
export class PaymentDeclined extends Error {
  constructor(readonly reason: string) {
    super(`Payment declined: ${reason}`);
  }
}

/**
 * The payment service could not be reached or is shedding load: try again shortly.
 * Whether an earlier attempt charged is unknown; the abandoned-payment sweep settles it.
 */
export class PaymentUnavailable extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    cause?: unknown,
  ) {
    super('The payment service is busy or unreachable', { cause });
  }
}

/** No branch named on the order and no favourite registered for the customer. */
export class NoStoreChosen extends Error {
  constructor(readonly customerId: string) {
    super('No storeId given and no favourite store registered for this customer');
  }
}
