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
  readonly entries = new Map<string, SentMessageEntry>();
  reads = 0;
  async find(eventId: string) {
    this.reads++;
    return this.entries.get(eventId);
  }
  async claim(entry: SentMessageEntry) {
    if (this.entries.has(entry.notice.eventId)) throw new AlreadyClaimed();
    this.entries.set(entry.notice.eventId, entry);
  }
  async markSent(entry: SentMessageEntry) {
    this.entries.set(entry.notice.eventId, entry);
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

  it('reads the log only when the claim finds an entry there', async () => {
    const { log, notify } = setup();
    await notify.execute(notifying[1]!);
    expect(log.reads).toBe(0);
    expect(log.entries.get(notifying[1]!.eventId)?.status).toBe('sent');
    await notify.execute(notifying[1]!);
    expect(log.reads).toBe(1);
  });

  it('sends again, under the same key, when an earlier attempt died between the send and the mark', async () => {
    const { log, provider, inbox, notify } = setup();
    const notice = { eventId: notifying[1]!.eventId, eventType: 'CookingStarted' as const, orderId, customerId: 'kim', text: '' };
    await log.claim({ status: 'sending', notice });
    expect(await notify.execute(notifying[1]!)).toBe('sent');
    expect(provider.size).toBe(1);
    expect(inbox.entries).toHaveLength(1);
    expect(log.entries.get(notice.eventId)?.status).toBe('sent');
  });

  it('asks for redelivery when the claim is taken but cannot be read', async () => {
    const { log, provider, notify } = setup();
    log.find = async () => undefined;
    await log.claim({
      status: 'sending',
      notice: { eventId: notifying[1]!.eventId, eventType: 'CookingStarted', orderId, customerId: 'kim', text: '' },
    });
    expect(await notify.execute(notifying[1]!)).toBe('busy');
    expect(provider.size).toBe(0);
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
