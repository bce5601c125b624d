import { OrderStatus } from '@burger/contracts';
import { Problem } from '@burger/service-kit';
import { z } from 'zod';
import type { Reply } from '../../application/ports.js';

/**
 * The only failure bodies that leave the gateway: what our services' Problems look like.
 * Dapr's own errors (`{ errorCode, message }`, naming app ids and SPIFFE ids), a proxy's
 * HTML page or anything else fail this shape and become a generic problem.
 */
const ServiceProblem = z.object({
  error: z.string().regex(/^[a-z][a-z_]{1,48}$/),
  message: z.string().min(1).max(1_000),
  fields: z
    .array(z.object({ field: z.string().max(200), message: z.string().max(500) }))
    .max(100)
    .optional(),
  /** cancellation_refused: the order's status. */
  status: OrderStatus.optional(),
  retryAfterSeconds: z.number().int().positive().optional(),
});

/** Words that only the platform under our services uses; a problem carrying them is not ours to pass on. */
export const PLATFORM_WORDS = /spiffe:|dapr|ERR_[A-Z_]+|app[ -]?id|sidecar/i;

/** A service's failure (status ≥ 400) as the Problem the public sees. */
export function publicReply(reply: Reply): Problem {
  const parsed = ServiceProblem.safeParse(reply.body);
  const passable = reply.status < 500 || reply.status === 503;
  if (passable && parsed.success && !PLATFORM_WORDS.test(JSON.stringify(parsed.data))) {
    const { error, message, ...details } = parsed.data;
    return new Problem(reply.status, error, message, details, reply.retryAfter ? { 'retry-after': reply.retryAfter } : {});
  }
  if (reply.status === 503) {
    return new Problem(
      503,
      'temporarily_unavailable',
      'This is unavailable for a moment; please try again shortly',
      {},
      { 'retry-after': reply.retryAfter ?? '1' },
    );
  }
  return new Problem(502, 'upstream_failed', 'A service behind the gateway failed; please try again');
}
