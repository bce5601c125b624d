import { beforeAll, describe, expect, it } from 'vitest';
import { json, NAMESPACE, staying, until } from '../cluster.js';
import { api, paymentRecord, signIn } from '../gateway.js';

/**
 * Stage 3 of the k8s pass: the system deployed by `kubectl apply -k k8s/overlays/local`
 * on the real node, every sidecar injected by Dapr's webhook and certified by sentry,
 * walked through the gateway Service as a customer and a kitchen would: place (and
 * pay), read, cook to delivery, cancel (and refund).
 */
const burger = { lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] };

describe('the system on Kubernetes', () => {
  let kim: string;
  let park: string; // staff of the gangnam kitchen

  beforeAll(async () => {
    kim = (await signIn('kim')).access_token;
    park = (await signIn('park')).access_token;
  });

  it('runs every app with a sidecar the injector added (mTLS through sentry), from images built here', async () => {
    const deployments = (await json(['-n', NAMESPACE, 'get', 'deployments'])).items;
    expect(deployments.length).toBeGreaterThanOrEqual(9);
    for (const deployment of deployments) {
      // The manifests carry no sidecar: only annotations. The pods have one.
      expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).not.toContain('daprd');
      const pods = (await json(['-n', NAMESPACE, 'get', 'pods', '-l', `app=${deployment.metadata.name}`])).items.filter(staying);
      expect(pods.length, deployment.metadata.name).toBeGreaterThan(0);
      for (const pod of pods) {
        const sidecar = pod.spec.containers.find((c: any) => c.name === 'daprd');
        expect(sidecar, `${pod.metadata.name} has no daprd`).toBeDefined();
        expect(sidecar.image).toBe(`localhost/dapr/daprd:${process.env.DAPR_VERSION}`);
        expect(sidecar.args).toContain('--enable-mtls');
        expect(sidecar.args.join(' ')).toContain('dapr-sentry.dapr-system.svc.cluster.local');
        expect(pod.spec.containers[0].image).toMatch(/^localhost\/burger\//);
        expect(
          pod.status.containerStatuses.every((s: any) => s.ready),
          `${pod.metadata.name} ready`,
        ).toBe(true);
      }
    }
  });

  it('places and pays an order through the gateway, and reads it back', async () => {
    const placed = await api('POST', '/orders', kim, { ...burger, storeId: 'gangnam' });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body).toMatchObject({ customerId: 'kim', storeId: 'gangnam', status: 'Paid' });
    const orderId = placed.body.orderId as string;
    const read = await until(
      'the order readable by kim',
      async () => {
        const view = await api('GET', `/orders/${orderId}`, kim);
        return view.status === 200 ? view.body : undefined;
      },
      60_000,
    );
    expect(read).toMatchObject({ orderId, customerId: 'kim' });
    // The charge, where it lives: pay's SQLite file on the payments volume.
    expect(await paymentRecord(orderId)).toMatchObject({ amountCents: placed.body.totalCents, status: 'Approved' });
  });

  it('cooks and delivers it: the order reaches the kitchen board over Kafka, and each step is read back', async () => {
    const placed = await api('POST', '/orders', kim, { ...burger, storeId: 'gangnam' });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orderId as string;
    await until(
      'the order on the gangnam board',
      async () => {
        const board = await api('GET', '/kitchen/queue', park);
        return (board.body.orders as Array<{ orderId: string }> | undefined)?.some((o) => o.orderId === orderId) || undefined;
      },
      120_000,
    );
    for (const [step, status] of [
      ['start-cooking', 'Cooking'],
      ['start-delivery', 'InDelivery'],
      ['delivered', 'Delivered'],
    ] as const) {
      const moved = await api('POST', `/kitchen/orders/${orderId}/${step}`, park);
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      await until(
        `kim sees ${status}`,
        async () => ((await api('GET', `/orders/${orderId}`, kim)).body.status === status ? true : undefined),
        60_000,
      );
    }
  });

  it('cancels before cooking: out of the queue, refunded once', async () => {
    const placed = await api('POST', '/orders', kim, { ...burger, storeId: 'gangnam' });
    expect(placed.status).toBe(201);
    const orderId = placed.body.orderId as string;
    await until(
      'the order on the board',
      async () =>
        ((await api('GET', '/kitchen/queue', park)).body.orders as Array<{ orderId: string }>).some((o) => o.orderId === orderId) ||
        undefined,
      120_000,
    );
    const cancel = await api('POST', `/orders/${orderId}/cancel`, kim);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
    await until(
      'kim sees Cancelled',
      async () => ((await api('GET', `/orders/${orderId}`, kim)).body.status === 'Cancelled' ? true : undefined),
      90_000,
    );
    await until(
      'the refund in the payment store',
      async () => ((await paymentRecord(orderId))?.status === 'Refunded' ? true : undefined),
      60_000,
    );
    const board = await api('GET', '/kitchen/queue', park);
    expect((board.body.orders as Array<{ orderId: string }>).some((o) => o.orderId === orderId)).toBe(false);
  });

  it('refuses bad input at the gateway with a 400 naming the field', async () => {
    const response = await api('POST', '/orders', kim, { storeId: 'gangnam', lines: [{ menuItemId: 'bulgogi-burger', quantity: 0 }] });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('lines.0.quantity');
  });
});
