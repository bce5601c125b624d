import { join } from 'node:path';

/** Where the gRPC contracts live (loaded at run time with @grpc/proto-loader by servers and clients alike). */
export const ORDER_PROTO = join(import.meta.dirname, '..', 'proto', 'order.proto');
export const ORDER_SERVICE = 'burger.order.v1.OrderService';
