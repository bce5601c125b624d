import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ORDER_PROTO, ORDER_SERVICE } from '@burger/contracts';
import { loadRunFile } from '../../tools/launcher/src/run-file.js';
import { describe, expect, it } from 'vitest';
import { invoke } from '../support/api.js';
import { orderRowsWhere, paymentsOfCustomer } from '../support/backing-stores.js';
import { newCustomer } from '../support/scenario.js';
import { appToken } from '../support/stack-info.js';

type Unary = (
  request: object,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, reply: Record<string, unknown>) => void,
) => void;

function orderClient(): Record<
  'placeOrder' | 'getOrder' | 'cancelOrder',
  (request: object, token?: string) => Promise<Record<string, unknown>>
> {
  const port = loadRunFile().find((app) => app.appId === 'order')!.env.ORDER_GRPC_PORT;
  const definition = grpc.loadPackageDefinition(loadSync(ORDER_PROTO, { keepCase: false, longs: Number, defaults: true }));
  const Service = ORDER_SERVICE.split('.').reduce<unknown>(
    (at, name) => (at as Record<string, unknown>)[name],
    definition,
  ) as grpc.ServiceClientConstructor;
  const client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Record<string, Unary>;
  const call =
    (method: string) =>
    (request: object, token = appToken('order')) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const metadata = new grpc.Metadata();
        if (token) metadata.set('dapr-api-token', token);
        client[method]!.call(client, request, metadata, (error, reply) => (error ? reject(error) : resolve(reply)));
      });
  return { placeOrder: call('PlaceOrder'), getOrder: call('GetOrder'), cancelOrder: call('CancelOrder') };
}

/** The hexagonal checkpoint: a second inbound adapter on the same use cases gives the same results. */
describe('order over gRPC, beside REST', () => {
  const client = orderClient();

  it('places and reads an order over gRPC with the same result REST gives', async () => {
    const customerId = newCustomer('grpc');
    const placed = await client.placeOrder({ customerId, storeId: 'hongdae', lines: [{ menuItemId: 'bulgogi-burger', quantity: 2 }] });
    expect(placed).toMatchObject({ customerId, storeId: 'hongdae', status: 'Paid', totalCents: 11_800, cancellationRequested: false });
    const overGrpc = await client.getOrder({ orderId: placed.orderId });
    const overRest = await invoke('order', 'GET', `/orders/${String(placed.orderId)}`);
    expect(overRest.status).toBe(200);
    expect(overGrpc).toEqual(overRest.body);
    const cancelled = await client.cancelOrder({ orderId: placed.orderId, customerId });
    expect(cancelled.cancellationRequested).toBe(true);
  });

  it('a request id makes PlaceOrder and CancelOrder safe to retry: the first answer again, another request refused', async () => {
    const customerId = newCustomer('grpc-retry');
    const requestId = crypto.randomUUID();
    const request = { customerId, storeId: 'hongdae', lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }], requestId };
    const [first, second] = await Promise.all([client.placeOrder(request), client.placeOrder(request)]);
    expect(second).toEqual(first);
    expect(await client.placeOrder(request)).toEqual(first);
    expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId]), 'one order').toHaveLength(1);
    expect(await paymentsOfCustomer(customerId), 'one charge').toHaveLength(1);
    const otherBody = client.placeOrder({ ...request, lines: [{ menuItemId: 'bulgogi-burger', quantity: 2 }] });
    await expect(otherBody).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('Idempotency-Key'),
    });
    // Without a request id (proto3's empty string), each call is its own order, as before.
    await client.placeOrder({ ...request, requestId: '' });
    expect(await orderRowsWhere(`value->>'customerId' = $1`, [customerId])).toHaveLength(2);

    const cancelId = crypto.randomUUID();
    const cancelled = await client.cancelOrder({ orderId: first.orderId, customerId, requestId: cancelId });
    expect(await client.cancelOrder({ orderId: first.orderId, customerId, requestId: cancelId })).toEqual(cancelled);
  });

  it('speaks gRPC status codes for the same failures: bad field, unknown order, no token', async () => {
    const badQuantity = client.placeOrder({
      customerId: 'kim',
      storeId: 'hongdae',
      lines: [{ menuItemId: 'bulgogi-burger', quantity: 0 }],
    });
    await expect(badQuantity).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('lines.0.quantity'),
    });
    await expect(client.getOrder({ orderId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    await expect(client.getOrder({ orderId: 'nope' })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('orderId'),
    });
    await expect(client.getOrder({ orderId: '00000000-0000-4000-8000-000000000000' }, '')).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
  });
});
