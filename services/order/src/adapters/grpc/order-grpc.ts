import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { z } from 'zod';
import { CancelOrderRequest, IdempotencyKey, ORDER_PROTO, PlaceOrderRequest } from '@burger/contracts';
import { parseOrProblem, Problem, tokenMatches, type Logger } from '@burger/service-kit';
import { cancellationsRequested, ordersPlaced, rethrowAsProblem, toDetails } from '../order-outcomes.js';
import type { OrderUseCases } from '../../application/use-cases.js';

/** Problem statuses (the one mapping of failures, shared with REST) as gRPC codes. */
const CODE_OF: Record<number, grpc.status> = {
  400: grpc.status.INVALID_ARGUMENT,
  401: grpc.status.UNAUTHENTICATED,
  402: grpc.status.FAILED_PRECONDITION,
  404: grpc.status.NOT_FOUND,
  409: grpc.status.FAILED_PRECONDITION,
  422: grpc.status.INVALID_ARGUMENT,
  503: grpc.status.UNAVAILABLE,
};

const OrderIdRequest = z.object({ orderId: z.uuid() });
/** proto3 sends an unset string as "": no request id. */
const RequestId = z.object({
  requestId: z
    .literal('')
    .transform(() => undefined)
    .or(IdempotencyKey)
    .optional(),
});
const requestIdOf = (request: unknown) =>
  parseOrProblem(RequestId, { requestId: (request as { requestId?: unknown }).requestId }).requestId;

type Handler = (request: unknown) => Promise<unknown>;

/**
 * gRPC inbound adapter beside REST: the same use cases, the same zod contracts for
 * input, the same error meanings (as gRPC status codes, with the problem code and any
 * Retry-After in trailing metadata). Only callers holding the app API token get in.
 */
export function startOrderGrpc(
  useCases: OrderUseCases,
  options: { port: number; appApiToken?: string; logger: Logger },
): Promise<grpc.Server> {
  const definition = grpc.loadPackageDefinition(loadSync(ORDER_PROTO, { keepCase: false, longs: Number, defaults: true, oneofs: true }));
  const service = (definition.burger as grpc.GrpcObject).order as grpc.GrpcObject;
  const OrderService = (service.v1 as grpc.GrpcObject).OrderService as grpc.ServiceClientConstructor;

  const handlers: Record<string, Handler> = {
    PlaceOrder: async (request) => {
      const command = parseOrProblem(PlaceOrderRequest, asPlaceOrder(request));
      const order = await useCases.placements.run(() => useCases.ordering.place(command, requestIdOf(request))).catch(rethrowAsProblem);
      ordersPlaced.inc();
      return toDetails(order);
    },
    GetOrder: async (request) =>
      toDetails(await useCases.getOrder.execute(parseOrProblem(OrderIdRequest, request).orderId).catch(rethrowAsProblem)),
    CancelOrder: async (request) => {
      const { orderId } = parseOrProblem(OrderIdRequest, { orderId: (request as { orderId?: unknown }).orderId });
      const { customerId } = parseOrProblem(CancelOrderRequest, { customerId: (request as { customerId?: unknown }).customerId });
      const order = await useCases.ordering.cancel({ orderId, customerId }, requestIdOf(request)).catch(rethrowAsProblem);
      cancellationsRequested.inc();
      return toDetails(order);
    },
  };

  const server = new grpc.Server();
  server.addService(
    OrderService.service,
    Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, unary(handler, options.appApiToken, options.logger)])),
  );
  return new Promise((resolve, reject) =>
    server.bindAsync(`${process.env.APP_HOST ?? '127.0.0.1'}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error) => {
      if (error) return reject(error);
      options.logger.info({ port: options.port }, 'gRPC listening');
      resolve(server);
    }),
  );
}

function unary(handler: Handler, appApiToken: string | undefined, logger: Logger): grpc.handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    if (appApiToken && !tokenMatches(call.metadata.get('dapr-api-token')[0], appApiToken)) {
      callback({ code: grpc.status.UNAUTHENTICATED, details: 'missing or wrong app token' });
      return;
    }
    handler(call.request).then(
      (reply) => callback(null, reply),
      (error: unknown) => callback(asStatus(error, logger)),
    );
  };
}

function asStatus(error: unknown, logger: Logger): Partial<grpc.StatusObject> {
  if (!(error instanceof Problem)) {
    logger.error({ err: error }, 'unhandled gRPC error');
    return { code: grpc.status.INTERNAL, details: 'Something went wrong on our side' };
  }
  const metadata = new grpc.Metadata();
  metadata.set('problem-code', error.code);
  for (const [name, value] of Object.entries(error.headers)) metadata.set(name, value);
  // "Still running, retry": ABORTED is gRPC's retry-the-whole-call code (not a state conflict).
  const code = error.code === 'idempotency_key_in_use' ? grpc.status.ABORTED : (CODE_OF[error.status] ?? grpc.status.UNKNOWN);
  return { code, details: error.message, metadata };
}

/**
 * The request as the JSON contract has it: without proto-loader's synthetic oneof
 * markers (`_storeId`) and the request id (not part of the command), and an unset storeId (proto3 gives "") left out, which means
 * "my favourite branch" as in JSON.
 */
function asPlaceOrder(request: unknown): unknown {
  const fields = Object.entries(request as Record<string, unknown>).filter(
    ([name, value]) => !name.startsWith('_') && name !== 'requestId' && !(name === 'storeId' && !value),
  );
  return Object.fromEntries(fields);
}
