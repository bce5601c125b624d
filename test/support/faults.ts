import { expect } from 'vitest';
import { Topic } from '@burger/contracts';
import { topicMessages } from './backing-stores.js';
import { stackInfo } from './stack-info.js';

/**
 * The test knobs the harness turns on (PAY_FAULT_INJECTION, ORDER_FAULT_INJECTION):
 * PUT /admin/faults straight on the app, with the app token.
 */
export async function setFaults(appId: 'pay' | 'order', faults: Record<string, unknown>): Promise<void> {
  const info = stackInfo();
  const response = await fetch(`http://127.0.0.1:${info.apps[appId]!.appPort}/admin/faults`, {
    method: 'PUT',
    headers: { 'dapr-api-token': info.secrets['app-api-token'], 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.status, await response.text()).toBe(200);
}

/** pay: extra latency on each charge, no failures (0 turns the knob off). */
export const payLatency = (latencyMs: number) => setFaults('pay', { latencyMs, failureRate: 0 });

/** Evidence of a refund that counts refunds (PaymentRefunded on the broker), not the payment's status. */
export async function refundEvents(orderId: string): Promise<number> {
  return (await topicMessages(Topic.paymentEvents, (data) => data.orderId === orderId && data.type === 'PaymentRefunded')).length;
}
