import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KakaoMessage } from '@burger/contracts';
import { lifecycleEventOf } from '@burger/service-kit/testing';
import { DEFAULT_TEMPLATES } from '../src/domain/notice.js';
import { NotifyCustomer } from '../src/application/notify-customer.js';
import {
  AlreadyClaimed,
  type CustomerInbox,
  type InboxEntry,
  type SentMessageEntry,
  type SentMessageLog,
} from '../src/application/ports.js';

class InMemoryLog implements SentMessageLog {
  readonly entries = new Map<string, { entry: SentMessageEntry; version: number }>();
  async find(eventId: string) {
    const e = this.entries.get(eventId);
    return e && { entry: e.entry, version: String(e.version) };
  }
  async claim(entry: SentMessageEntry) {
    if (this.entries.has(entry.notice.eventId)) throw new AlreadyClaimed();
    this.entries.set(entry.notice.eventId, { entry, version: 1 });
    return '1';
  }
  async markSent(entry: SentMessageEntry, version: string) {
    const e = this.entries.get(entry.notice.eventId)!;
    if (String(e.version) === version) this.entries.set(entry.notice.eventId, { entry, version: e.version + 1 });
  }
}

class InMemoryInbox implements CustomerInbox {
  readonly entries: InboxEntry[] = [];
  async add(_: string, entry: InboxEntry) {
    if (!this.entries.some((e) => e.eventId === entry.eventId)) this.entries.unshift(entry);
  }
  async list() {
    return { messages: this.entries };
  }
}

function setup(templates = DEFAULT_TEMPLATES) {
  const log = new InMemoryLog();
  const inbox = new InMemoryInbox();
  const provider = new Map<string, KakaoMessage>(); // keyed by the idempotency key, as the local sink is (the real API is not)
  let failNext = false;
  const sender = {
    send: async (message: KakaoMessage, key: string) => {
      if (failNext) throw ((failNext = false), new Error('provider down'));
      provider.set(key, message);
    },
    failOnce: () => void (failNext = true),
  };
  return { log, inbox, provider, sender, notify: new NotifyCustomer({ log, inbox, sender, templates, clock: { now: () => new Date() } }) };
}

const orderId = randomUUID();
const event = (type: string, extra: object = {}) => lifecycleEventOf(orderId, type, extra);
const paymentId = randomUUID();

describe('notifying the customer', () => {
  const notifying = [
    event('OrderPlaced', { lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }], totalCents: 5_900, paymentId }),
    event('CookingStarted'),
    event('DeliveryStarted'),
    event('OrderDelivered'),
    event('OrderCancelled', { paymentId }),
    event('CancellationRejected', { reason: 'cooking has already started' }),
    event('PaymentRefunded', { paymentId, amountCents: 5_900 }),
  ];
  const silent = [event('OrderCancellationRequested'), event('OrderQueued'), event('PaymentApproved', { paymentId, amountCents: 5_900 })];

  it('sends one KakaoTalk message per status change, to the customer', async () => {
    const { provider, inbox, notify } = setup();
    for (const e of notifying) expect(await notify.execute(e)).toBe('sent');
    expect(provider.size).toBe(notifying.length);
    expect([...provider.values()].every((m) => m.receiver_uuids[0] === 'kim')).toBe(true);
    expect(inbox.entries).toHaveLength(notifying.length);
    expect([...provider.values()].some((m) => m.template_object.text.includes('cooking has already started'))).toBe(true);
  });

  it('sends nothing for events that are not status changes', async () => {
    const { provider, notify } = setup();
    for (const e of silent) expect(await notify.execute(e)).toBe('not-a-status-change');
    expect(provider.size).toBe(0);
  });

  it('sends nothing more for a redelivered event', async () => {
    const { provider, notify } = setup();
    await notify.execute(notifying[1]!);
    expect(await notify.execute(notifying[1]!)).toBe('already-sent');
    expect(provider.size).toBe(1);
  });

  it('asks for redelivery while another delivery holds the claim', async () => {
    const { log, notify } = setup();
    log.find = async () => undefined; // the other delivery claimed between our read and our claim
    await log.claim({
      status: 'sending',
      notice: { eventId: notifying[1]!.eventId, eventType: 'CookingStarted', orderId, customerId: 'kim', text: '' },
    });
    expect(await notify.execute(notifying[1]!)).toBe('busy');
  });

  it('after a failed send, a retry sends once', async () => {
    const { provider, sender, notify } = setup();
    sender.failOnce();
    await expect(notify.execute(notifying[2]!)).rejects.toThrow('provider down');
    expect(await notify.execute(notifying[2]!)).toBe('sent');
    expect(provider.size).toBe(1);
  });

  it('uses overridden templates', async () => {
    const { provider, notify } = setup({ ...DEFAULT_TEMPLATES, CookingStarted: 'Sizzling at {storeId}: {shortId}' });
    await notify.execute(notifying[1]!);
    expect([...provider.values()][0]!.template_object.text).toBe(`Sizzling at gangnam: ${orderId.slice(0, 8)}`);
  });
});
