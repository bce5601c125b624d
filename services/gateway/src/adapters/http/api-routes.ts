import {
  AppId,
  Branch,
  BranchId,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKey,
  MenuItemId,
  OrderDetails,
  PageQuery,
  PlaceOrderRequest,
  SelectFavoriteStoreRequest,
  StoreQueueView,
} from '@burger/contracts';
import { limitBody, Problem, PROBLEM_CONTENT_TYPE, validationProblem } from '@burger/service-kit';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { KITCHEN_STEPS, type KitchenBoard } from '../../application/kitchen-board.js';
import type { CustomerOrders } from '../../application/customer-orders.js';
import { LIVE_STREAM_LIMITS, type LiveStreams } from '../../application/live-streams.js';
import type { Reply, Services } from '../../application/ports.js';
import { NotAllowed } from '../../domain/caller.js';
import type { GatewayEnv } from './authenticate.js';

import { holdLiveStream } from './live-stream.js';
import { publicReply } from './public-reply.js';

/** Every error answer (RFC 9457 problem JSON; `fields` names each bad field of a 400). */
const ProblemBody = z.object({
  type: z.string(),
  title: z.string(),
  detail: z.string(),
  error: z.string(),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
const Json = z.record(z.string(), z.unknown());
const MenuBody = z.object({ items: z.array(z.object({ id: MenuItemId, name: z.string(), priceCents: z.number().int() })) });
const BranchesBody = z.object({ branches: z.array(Branch.extend({ storeId: BranchId })) });
const OrderIdParam = z.object({ orderId: z.uuid() });
const bearer = [{ bearer: [] }];
/** Optional on the two requests that move money or state: a retry with the same key replays the first answer. */
const KeyHeader = z.object({
  [IDEMPOTENCY_KEY_HEADER]: IdempotencyKey.optional().openapi({
    description:
      'Makes the request safe to retry: the same key and body within 24 h answer the first result again (same status, same order, one charge); the same key with another body is a 422; while the first request runs, a retry waits or gets a 409. Scoped to your account. Send a new key (e.g. a UUID) for each new order attempt and reuse it when retrying.',
    example: '5f0c8f64-3c7e-4c55-9f0e-2d8d1a3b6c21',
  }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const problemJson = (description: string) => ({ content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemBody } }, description });
/**
 * The problem answers a route can give, plus a 502 declared without a body schema: the
 * handlers pass a service's reply on as a plain Response, which the route types accept
 * only when some declared response has no content.
 */
const problems = (...statuses: number[]) => ({
  ...Object.fromEntries(statuses.map((status) => [status, problemJson(PROBLEM_TEXT[status] ?? 'Error')])),
  502: { description: 'A service behind the gateway failed (problem JSON)' },
});
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid input; `fields` names each bad field',
  401: 'No, expired or invalid access token',
  402: 'Payment declined; no order was created',
  403: 'Signed in, but this role may not do this',
  404: 'Not found (or not yours)',
  405: 'Method not declared on this path; see Allow',
  409: 'Not possible in the order’s current state, or the first request with this Idempotency-Key is still running (retry with the same key; see Retry-After)',
  413: 'Body larger than this route accepts',
  415: 'Body is not application/json',
  422: 'This Idempotency-Key was already used with a different request body',
  429: 'Rate limit reached; see Retry-After',
  503: 'Temporarily unavailable (e.g. payment busy); see Retry-After',
};

export interface ApiUseCases {
  customers: CustomerOrders;
  kitchen: KitchenBoard;
  services: Services;
  /** The open live-status streams of this replica (capped per account, per address, in all). */
  liveStreams: LiveStreams;
  /** Who is at the other end (the rate limiter's notion: the TCP peer, or our Ingress's X-Forwarded-For entry). */
  clientAddress: (c: Context) => string;
}

/**
 * The public API (`/api/...`): each route is declared once with its zod schemas, which
 * both validate the request (a 400 names every bad field) and generate the OpenAPI document.
 * `requireCaller` guards everything but the menu and the branch list.
 */
export function apiRoutes(useCases: ApiUseCases, requireCaller: MiddlewareHandler<GatewayEnv>): OpenAPIHono<GatewayEnv> {
  const api = new OpenAPIHono<GatewayEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error, result.target === 'json' ? 'body' : result.target);
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const { customers, kitchen, services, liveStreams, clientAddress } = useCases;

  // Bodies sized to what the routes really take: an order of 20 lines is about 1 KiB.
  const orderBody = limitBody(4_096);
  const smallBody = limitBody(1_024);
  api.use('*', (c, next) => (c.req.method === 'POST' && c.req.path.endsWith('/orders') ? orderBody : smallBody)(c, next));

  api.openapi(
    createRoute({
      method: 'get',
      path: '/menu',
      tags: ['menu'],
      summary: 'The menu with prices (its item ids are the `menuItemId` values an order accepts)',
      responses: { 200: json(MenuBody, 'Menu items'), ...problems(429) },
    }),
    async (c) => send(c, services.call(AppId.order, { method: 'GET', path: '/menu' })),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/branches',
      tags: ['menu'],
      summary: 'The branches to order from',
      responses: { 200: json(BranchesBody, 'Branches (their ids are the `storeId` values an order accepts)'), ...problems(429) },
    }),
    async (c) => send(c, services.call(AppId.selectStore, { method: 'GET', path: '/branches' })),
  );

  api.use('/me', requireCaller);
  api.use('/orders/*', requireCaller);
  api.use('/orders', requireCaller);
  api.use('/messages', requireCaller);
  api.use('/favorite-store', requireCaller);
  api.use('/kitchen/*', requireCaller);

  api.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['account'],
      security: bearer,
      summary: 'Who the token says you are',
      responses: { 200: json(Json, 'The caller'), ...problems(401, 429) },
    }),
    (c) => c.json(c.get('caller'), 200),
  );

  const PlaceBody = PlaceOrderRequest.omit({ customerId: true }).strict();
  api.openapi(
    createRoute({
      method: 'post',
      path: '/orders',
      tags: ['orders'],
      security: bearer,
      summary: 'Place and pay an order (for yourself)',
      request: { headers: KeyHeader, body: { content: { 'application/json': { schema: PlaceBody } }, required: true } },
      responses: {
        201: json(OrderDetails, 'Paid and placed (or, for a repeated Idempotency-Key, the first answer again)'),
        ...problems(400, 401, 402, 403, 409, 413, 415, 422, 429, 503),
      },
    }),
    (c) => send(c, customers.place(c.get('caller'), c.req.valid('json'), c.req.valid('header')[IDEMPOTENCY_KEY_HEADER])),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/orders',
      tags: ['orders'],
      security: bearer,
      summary: 'Your orders, newest first, a page at a time (`nextCursor` → `cursor`)',
      request: { query: PageQuery },
      responses: { 200: json(Json, 'Your orders'), ...problems(400, 401, 403, 429) },
    }),
    (c) => send(c, customers.list(c.get('caller'), c.req.valid('query'))),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{orderId}',
      tags: ['orders'],
      security: bearer,
      summary: 'Status and timeline of one of your orders',
      request: { params: OrderIdParam },
      responses: { 200: json(Json, 'The order'), ...problems(400, 401, 403, 404, 429) },
    }),
    (c) => send(c, customers.get(c.get('caller'), c.req.valid('param').orderId)),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{orderId}/stream',
      tags: ['orders'],
      security: bearer,
      summary: `Live status of one of your orders (Server-Sent Events: \`snapshot\`, then \`status\` per change; \`token_expired\` and the end when the access token that opened it expires). At most ${LIVE_STREAM_LIMITS.perAccount} open at once per account (429 beyond)`,
      request: { params: OrderIdParam },
      responses: {
        200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'Event stream' },
        ...problems(400, 401, 403, 404, 429),
      },
    }),
    async (c) => {
      const caller = c.get('caller');
      const orderId = c.req.valid('param').orderId;
      const held = await holdLiveStream(c, liveStreams, clientAddress(c), (signal) => customers.follow(caller, orderId, signal)).catch(
        asForbidden,
      );
      return 'reply' in held ? send(c, Promise.resolve(held.reply)) : held.response;
    },
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{orderId}/cancel',
      tags: ['orders'],
      security: bearer,
      summary: 'Ask to cancel (the kitchen decides; follow the order)',
      request: { params: OrderIdParam, headers: KeyHeader },
      responses: { 202: json(OrderDetails, 'Cancellation requested'), ...problems(400, 401, 403, 404, 409, 422, 429) },
    }),
    (c) => send(c, customers.cancel(c.get('caller'), c.req.valid('param').orderId, c.req.valid('header')[IDEMPOTENCY_KEY_HEADER])),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/messages',
      tags: ['account'],
      security: bearer,
      summary: 'Your KakaoTalk messages, newest first, a page at a time (`nextCursor` → `cursor`)',
      request: { query: PageQuery },
      responses: { 200: json(Json, 'Messages'), ...problems(400, 401, 403, 429) },
    }),
    (c) => send(c, customers.messages(c.get('caller'), c.req.valid('query'))),
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/favorite-store',
      tags: ['account'],
      security: bearer,
      summary: 'Your favourite branch',
      responses: { 200: json(Json, 'Favourite branch'), ...problems(401, 403, 404, 429) },
    }),
    (c) => send(c, customers.favoriteStore(c.get('caller'))),
  );
  api.openapi(
    createRoute({
      method: 'put',
      path: '/favorite-store',
      tags: ['account'],
      security: bearer,
      summary: 'Choose your favourite branch',
      request: { body: { content: { 'application/json': { schema: SelectFavoriteStoreRequest } }, required: true } },
      responses: { 200: json(Json, 'Chosen'), ...problems(400, 401, 403, 413, 415, 429) },
    }),
    (c) => send(c, customers.chooseFavoriteStore(c.get('caller'), c.req.valid('json').storeId)),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/kitchen/queue',
      tags: ['kitchen'],
      security: bearer,
      summary: 'Your branch’s kitchen queue (staff)',
      responses: { 200: json(StoreQueueView, 'Open tickets'), ...problems(401, 403, 429) },
    }),
    (c) => send(c, kitchen.queue(c.get('caller'))),
  );
  api.openapi(
    createRoute({
      method: 'post',
      path: '/kitchen/orders/{orderId}/{step}',
      tags: ['kitchen'],
      security: bearer,
      summary: 'Move an order along: start cooking, start delivery, delivered (staff)',
      request: { params: OrderIdParam.extend({ step: z.enum(KITCHEN_STEPS) }) },
      responses: { 200: json(Json, 'Step taken'), ...problems(400, 401, 403, 404, 409, 429, 503) },
    }),
    (c) => {
      const { orderId, step } = c.req.valid('param');
      return send(c, kitchen.step(c.get('caller'), orderId, step));
    },
  );
  return api;
}

/** A policy refusal is a 403. */
function asForbidden(error: unknown): never {
  if (error instanceof NotAllowed) throw new Problem(403, 'forbidden', error.message);
  throw error;
}

/** A use case's reply as the HTTP answer; a policy refusal is a 403, a failure only ever in the problem shape (public-reply.ts). */
async function send(c: Context, pending: Promise<Reply>): Promise<Response> {
  const reply = await pending.catch(asForbidden);
  if (reply.retryAfter) c.header('retry-after', reply.retryAfter);
  if (reply.status < 400) return c.json(reply.body ?? null, reply.status as ContentfulStatusCode);
  throw publicReply(reply);
}
