import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Topic } from '@burger/contracts';
import { deadLetterTopicOf } from '@burger/service-kit';
import { control, eventually, invoke } from '../support/api.js';
import { topicMessages } from '../support/backing-stores.js';
import { stackInfo } from '../support/stack-info.js';
import { kitchen, newCustomer, orderStatus, placeOrder, viewOf, waitUntilQueued } from '../support/scenario.js';

describe('delivery guarantees', () => {
  it('keeps taking orders while the store is down, and the store catches up on restart', async () => {
    const customerId = newCustomer('store-down');
    await control('store', 'stop');
    let orders: Awaited<ReturnType<typeof placeOrder>>[] = [];
    try {
      orders = await Promise.all(Array.from({ length: 5 }, () => placeOrder(customerId, 'jongno')));
      for (const order of orders) expect(order.status).toBe('Paid');
    } finally {
      await control('store', 'start');
    }
    // Replayed from the broker (the store's consumer group kept its offset): every missed order reaches the kitchen…
    await waitUntilQueued('jongno', orders.map((o) => o.orderId), 60_000);
    // …and statuses move on again.
    expect((await kitchen('jongno', orders[0]!.orderId, 'start-cooking')).status).toBe(200);
    await orderStatus(orders[0]!.orderId, (o) => o.status === 'Cooking');
    await viewOf(orders[0]!.orderId, (v) => v.status === 'Cooking');
  }, 120_000);

  it('puts a message that breaks the contract on the dead-letter topic, without blocking the topic', async () => {
    const marker = randomUUID();
    const info = stackInfo();
    const poison = { type: 'OrderPlaced', orderId: 'not-a-uuid', marker };
    const published = await fetch(`http://127.0.0.1:${info.apps.order!.daprHttpPort}/v1.0/publish/pubsub/${Topic.orderEvents}`, {
      method: 'POST',
      headers: { 'dapr-api-token': info.secrets['dapr-api-token'], 'content-type': 'application/json' },
      body: JSON.stringify(poison),
    });
    expect(published.status).toBe(204);

    const dead = await eventually('the poison message on the dead-letter topic', async () => {
      const found = await topicMessages(deadLetterTopicOf(Topic.orderEvents), (data) => data.marker === marker);
      return found.length ? found : undefined;
    }, 30_000);
    expect(dead[0]!.cloudEvent.data).toMatchObject(poison);

    // The partition moved on: a real order after it is processed.
    const order = await placeOrder(newCustomer('after-poison'), 'gangnam');
    await waitUntilQueued('gangnam', [order.orderId]);
  }, 60_000);
});
