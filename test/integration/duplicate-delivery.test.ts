import { describe, expect, it } from 'vitest';
import { Topic, TopicOf } from '@burger/contracts';
import { eventually, invoke } from '../support/api.js';
import { topicMessages } from '../support/backing-stores.js';
import { kakaoMessages, kitchen, newCustomer, orderStatus, placeOrder, republish, viewOf, waitUntilQueued } from '../support/scenario.js';

describe('a redelivered event', () => {
  it('changes no state and sends no second message', async () => {
    const customerId = newCustomer('dup');
    const order = await placeOrder(customerId, 'gangnam');
    await waitUntilQueued('gangnam', [order.orderId]);
    await kitchen('gangnam', order.orderId, 'start-cooking');
    await orderStatus(order.orderId, (o) => o.status === 'Cooking');
    const before = await viewOf(order.orderId, (v) => v.status === 'Cooking');
    await eventually('two messages', async () => ((await kakaoMessages(customerId)).length >= 2 ? true : undefined));

    // A publisher may already have sent an event twice (same eventId, by design): keep one copy of each.
    const onTopics = [
      ...(await topicMessages(Topic.orderEvents, (d) => d.orderId === order.orderId)),
      ...(await topicMessages(Topic.storeEvents, (d) => d.orderId === order.orderId)),
      ...(await topicMessages(Topic.storeQueueEvents, (d) => d.orderId === order.orderId)),
    ];
    const originals = [...new Map(onTopics.map((m) => [m.cloudEvent.data.eventId, m])).values()];
    expect(originals.map((m) => m.cloudEvent.data.type).sort()).toEqual(['CookingStarted', 'OrderPlaced', 'OrderQueued']);
    for (const message of originals) {
      await republish(TopicOf[message.cloudEvent.data.type as keyof typeof TopicOf], message.cloudEvent.data);
    }
    // Wait until the copies were certainly consumed: a marker order placed afterwards has reached the view.
    const marker = await placeOrder(customerId, 'gangnam');
    await viewOf(marker.orderId, () => true);
    await waitUntilQueued('gangnam', [marker.orderId]);
    await new Promise((done) => setTimeout(done, 1_000));

    const queue = await invoke('store', 'GET', '/stores/gangnam/queue');
    expect(queue.body.orders.filter((o: { orderId: string }) => o.orderId === order.orderId)).toHaveLength(1);
    expect(queue.body.orders.find((o: { orderId: string }) => o.orderId === order.orderId).status).toBe('Cooking');
    const after = await viewOf(order.orderId, () => true);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.status).toBe('Cooking');
    expect((await invoke('order', 'GET', `/orders/${order.orderId}`)).body.status).toBe('Cooking');
    const messages = await kakaoMessages(customerId);
    // OrderPlaced + CookingStarted for the first order, OrderPlaced for the marker; each sent once, not re-sent.
    expect(messages).toHaveLength(3);
    expect(messages.map((m) => m.attempts)).toEqual([1, 1, 1]);
    const inbox = await invoke('notification', 'GET', `/customers/${customerId}/messages`);
    expect(inbox.body.messages).toHaveLength(3);
  });
});
