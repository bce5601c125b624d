import { AppId, IDEMPOTENCY_KEY_HEADER, type PageQuery, type PlaceOrderRequest } from '@burger/contracts';
import { AccessPolicy, type Caller } from '../domain/caller.js';
import type { Reply, Services, Stream } from './ports.js';

/**
 * The caller's Idempotency-Key goes to order as it came: order holds the keys, beside the
 * orders and charges they protect, and scopes them to the customerId set here from the token.
 */
const withKey = (idempotencyKey: string | undefined) => (idempotencyKey ? { headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey } } : {});

const notFound = (orderId: string): Reply => ({ status: 404, body: { error: 'order_not_found', message: `No order ${orderId}` } });

/** A validated page request passed on to the service that owns the list. */
function pageQuery(page: PageQuery): string {
  return `?${new URLSearchParams({ limit: String(page.limit), ...(page.cursor ? { cursor: page.cursor } : {}) })}`;
}

/** What a signed-in customer can do: order, follow, cancel their own orders; read their messages; pick a branch. */
export class CustomerOrders {
  constructor(private readonly services: Services) {}

  async place(caller: Caller, request: Omit<PlaceOrderRequest, 'customerId'>, idempotencyKey?: string): Promise<Reply> {
    const customerId = AccessPolicy.customerIdOf(caller);
    return this.services.call(AppId.order, {
      method: 'POST',
      path: '/orders',
      body: { ...request, customerId },
      ...withKey(idempotencyKey),
    });
  }

  async list(caller: Caller, page: PageQuery): Promise<Reply> {
    const customerId = AccessPolicy.customerIdOf(caller);
    return this.services.call(AppId.orderView, {
      method: 'GET',
      path: `/customers/${encodeURIComponent(customerId)}/orders${pageQuery(page)}`,
    });
  }

  /** The order's status and timeline, from the read side; someone else's order answers exactly like a missing one. */
  async get(caller: Caller, orderId: string): Promise<Reply> {
    AccessPolicy.customerIdOf(caller);
    const reply = await this.services.call(AppId.orderView, { method: 'GET', path: `/orders/${orderId}` });
    if (reply.status !== 200) return reply.status === 404 ? notFound(orderId) : reply;
    return AccessPolicy.canSeeOrder(caller, reply.body as { customerId: string }) ? reply : notFound(orderId);
  }

  /** The order's live status stream (order-view's SSE), once it is known to be the caller's. */
  async follow(caller: Caller, orderId: string, signal: AbortSignal): Promise<{ reply: Reply } | { stream: Stream }> {
    const visible = await this.get(caller, orderId);
    if (visible.status !== 200) return { reply: visible };
    return { stream: await this.services.open(AppId.orderView, `/orders/${orderId}/stream`, signal) };
  }

  /** Order checks ownership itself (the customerId must match), and answers 404 otherwise. */
  async cancel(caller: Caller, orderId: string, idempotencyKey?: string): Promise<Reply> {
    const customerId = AccessPolicy.customerIdOf(caller);
    return this.services.call(AppId.order, {
      method: 'POST',
      path: `/orders/${orderId}/cancel`,
      body: { customerId },
      ...withKey(idempotencyKey),
    });
  }

  async messages(caller: Caller, page: PageQuery): Promise<Reply> {
    const customerId = AccessPolicy.customerIdOf(caller);
    return this.services.call(AppId.notification, {
      method: 'GET',
      path: `/customers/${encodeURIComponent(customerId)}/messages${pageQuery(page)}`,
    });
  }

  async favoriteStore(caller: Caller): Promise<Reply> {
    const customerId = AccessPolicy.customerIdOf(caller);
    return this.services.call(AppId.selectStore, { method: 'GET', path: `/customers/${encodeURIComponent(customerId)}/favorite-store` });
  }

  async chooseFavoriteStore(caller: Caller, storeId: string): Promise<Reply> {
    const customerId = AccessPolicy.customerIdOf(caller);
    return this.services.call(AppId.selectStore, {
      method: 'PUT',
      path: `/customers/${encodeURIComponent(customerId)}/favorite-store`,
      body: { storeId },
    });
  }
}
