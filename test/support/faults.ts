import { expect } from 'vitest';
import { Topic } from '@burger/contracts';
import { topicMessages } from './backing-stores.js';
import { appToken, stackInfo } from './stack-info.js';

/**
 * The test knobs the harness turns on (PAY_FAULT_INJECTION, ORDER_FAULT_INJECTION, STORE_FAULT_INJECTION):
 * PUT /admin/faults straight on an app instance (e.g. `store-2`), with the app token.
 */
export async function setFaults(instance: string, faults: Record<string, unknown>): Promise<void> {
  const response = await putFaults(instance, faults);
  expect(response.status, await response.text()).toBe(200);
}

/** The same, for an instance that may be restarting: the status, 0 when nobody answered. */
export async function trySetFaults(instance: string, faults: Record<string, unknown>): Promise<number> {
  const response = await putFaults(instance, faults).catch(() => undefined);
  await response?.body?.cancel();
  return response?.status ?? 0;
}

function putFaults(instance: string, faults: Record<string, unknown>): Promise<Response> {
  const info = stackInfo();
  return fetch(`http://127.0.0.1:${info.apps[instance]!.appPort}/admin/faults`, {
    method: 'PUT',
    headers: { 'dapr-api-token': appToken(instance), 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

/** pay: extra latency on each charge, no failures (0 turns the knob off). */
export const payLatency = (latencyMs: number) => setFaults('pay', { latencyMs, failureRate: 0 });

/** Evidence of a refund that counts refunds (PaymentRefunded on the broker), not the payment's status. */
export async function refundEvents(orderId: string): Promise<number> {
  return (await topicMessages(Topic.paymentEvents, (data) => data.orderId === orderId && data.type === 'PaymentRefunded')).length;
}
