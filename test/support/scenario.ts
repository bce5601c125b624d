import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { eventually, invoke } from './api.js';
import { daprToken, stackInfo } from './stack-info.js';
import { PublisherOf } from '@burger/contracts';
import { INFRA_PORTS, infraAddress } from '@burger/launcher';

/** Steps of the burger scenario, shared by the scenario, race and duplicate tests. */

export const newCustomer = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}`;

export async function placeOrder(customerId: string, storeId: string | undefined, lines = [{ menuItemId: 'bulgogi-burger', quantity: 1 }]) {
  const response = await invoke('order', 'POST', '/orders', { customerId, ...(storeId ? { storeId } : {}), lines });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { orderId: string; storeId: string; customerId: string; totalCents: number; paymentId: string; status: string };
}

export async function kitchen(storeId: string, orderId: string, step: 'start-cooking' | 'start-delivery' | 'delivered') {
  return invoke('store', 'POST', `/stores/${storeId}/orders/${orderId}/${step}`);
}

export async function waitUntilQueued(storeId: string, orderIds: string[], timeoutMs = 30_000) {
  await eventually(
    `${orderIds.length} orders in ${storeId}'s queue`,
    async () => {
      const queue = await invoke('store', 'GET', `/stores/${storeId}/queue`);
      // A replica that is restarting may answer 5xx for a moment; the deadline still bounds the wait.
      if (queue.status !== 200) return undefined;
      const queued = new Set((queue.body.orders as Array<{ orderId: string }>).map((o) => o.orderId));
      return orderIds.every((id) => queued.has(id)) ? true : undefined;
    },
    timeoutMs,
  );
}

/** The CQRS view's summary once `accept` holds for it. */
export async function viewOf(orderId: string, accept: (summary: any) => boolean, timeoutMs = 20_000) {
  return eventually(
    `order-view of ${orderId}`,
    async () => {
      const response = await invoke('order-view', 'GET', `/orders/${orderId}`);
      return response.status === 200 && accept(response.body) ? response.body : undefined;
    },
    timeoutMs,
  );
}

export async function orderStatus(orderId: string, accept: (order: any) => boolean, timeoutMs = 20_000) {
  return eventually(
    `order ${orderId}`,
    async () => {
      const response = await invoke('order', 'GET', `/orders/${orderId}`);
      return response.status === 200 && accept(response.body) ? response.body : undefined;
    },
    timeoutMs,
  );
}

export async function payment(orderId: string) {
  // pay admits `order` only, so history is read through order's sidecar.
  const response = await invoke('pay', 'GET', `/payments/${orderId}`, undefined, 'order');
  return response.body as { status: 'Approved' | 'Refunded'; amountCents: number };
}

export interface SinkMessage {
  idempotencyKey: string;
  /** Sends with this key (the sink shows a resent message once). */
  attempts: number;
  body: { receiver_uuids: string[]; template_object: { text: string } };
}

export async function kakaoMessages(customerId: string): Promise<SinkMessage[]> {
  const response = await fetch(`http://${infraAddress(INFRA_PORTS.kakaoSink)}/messages?receiver=${encodeURIComponent(customerId)}`);
  const body = (await response.json()) as { messages: SinkMessage[] } | SinkMessage[];
  return Array.isArray(body) ? body : body.messages;
}

/**
 * Publishes an event again, exactly as it was (same eventId), through the sidecar of the topic's
 * owner: the only one the broker lets write it (issue 20).
 */
export async function republish(topic: string, data: Record<string, unknown>): Promise<void> {
  const info = stackInfo();
  const owner = PublisherOf[topic as keyof typeof PublisherOf];
  const response = await fetch(
    `http://127.0.0.1:${info.apps[owner]!.daprHttpPort}/v1.0/publish/pubsub/${topic}?metadata.partitionKey=${data.orderId}`,
    {
      method: 'POST',
      headers: { 'dapr-api-token': daprToken(owner), 'content-type': 'application/json' },
      body: JSON.stringify(data),
    },
  );
  expect(response.status).toBe(204);
}
