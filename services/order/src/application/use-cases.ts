import type { Bulkhead } from '@burger/service-kit';
import type { Menu } from '../domain/menu.js';
import type { GetOrder } from './get-order.js';
import type { IdempotentOrdering } from './idempotent-ordering.js';

/** What order offers its callers, whichever inbound adapter (REST or gRPC) they come through. */
export interface OrderUseCases {
  /** Place and cancel, safe to retry under an idempotency key. */
  ordering: IdempotentOrdering;
  /** Placements in progress in this replica at once (a bulkhead in front of pay: overload is a quick 503, not a timeout). */
  placements: Bulkhead;
  getOrder: GetOrder;
  menu: Menu;
}
