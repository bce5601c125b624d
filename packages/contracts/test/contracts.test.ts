import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApprovePaymentRequest, OrderEvent, PlaceOrderRequest } from '../src/index.js';

describe('the published language', () => {
  it('rejects a client-sent price on an order line and at the top level', () => {
    const line = { menuItemId: 'bulgogi-burger', quantity: 1 };
    expect(PlaceOrderRequest.safeParse({ customerId: 'k', storeId: 'gangnam', lines: [line] }).success).toBe(true);
    expect(PlaceOrderRequest.safeParse({ customerId: 'k', storeId: 'gangnam', lines: [{ ...line, priceCents: 1 }] }).success).toBe(false);
    expect(PlaceOrderRequest.safeParse({ customerId: 'k', storeId: 'gangnam', lines: [line], totalCents: 1 }).success).toBe(false);
  });

  it('requires the correlation key, a unique id and a timestamp on every event', () => {
    const event = {
      type: 'OrderPlaced',
      version: 1,
      eventId: randomUUID(),
      orderId: randomUUID(),
      occurredAt: new Date().toISOString(),
      customerId: 'kim',
      storeId: 'gangnam',
      lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }],
      totalCents: 5_900,
      paymentId: randomUUID(),
    };
    expect(OrderEvent.parse(event)).toEqual(event);
    for (const field of ['orderId', 'eventId', 'occurredAt'] as const) {
      const { [field]: _, ...without } = event;
      expect(OrderEvent.safeParse(without).success, field).toBe(false);
    }
    expect(OrderEvent.safeParse({ ...event, type: 'SomethingElse' }).success).toBe(false);
  });

  it('only lets positive whole amounts be charged', () => {
    const ok = { orderId: randomUUID(), customerId: 'kim', storeId: 'gangnam', amountCents: 100 };
    expect(ApprovePaymentRequest.safeParse(ok).success).toBe(true);
    for (const amountCents of [0, -1, 1.5]) expect(ApprovePaymentRequest.safeParse({ ...ok, amountCents }).success).toBe(false);
  });
});

describe('the topic map', () => {
  it('assigns every event of the published language to a topic', async () => {
    const { AnyEvent, TopicOf } = await import('../src/index.js');
    const types = AnyEvent.options.map((o) => o.shape.type.value);
    expect(Object.keys(TopicOf).sort()).toEqual([...types].sort());
  });
});
