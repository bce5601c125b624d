import type { LifecycleEvent } from '@burger/contracts';
import { kakaoMessage, noticeFor, type Templates } from '../domain/notice.js';
import { AlreadyClaimed, type Clock, type CustomerInbox, type MessageSender, type SentMessageLog } from './ports.js';

export type NotifyOutcome = 'sent' | 'already-sent' | 'not-a-status-change' | 'busy';

/**
 * A message per status change, at least once. The log entry is claimed before
 * sending and marked sent after; a delivery that finds 'sent' does nothing.
 * One that finds 'sending' (an earlier attempt died between send and mark)
 * sends again with the same idempotency key (the event id). The local sink
 * shows that resend once; the real KakaoTalk API does not de-duplicate, so
 * there the customer may get it twice. The inbox is keyed by event id, so it
 * shows the message once either way.
 */
export class NotifyCustomer {
  constructor(
    private readonly deps: { log: SentMessageLog; inbox: CustomerInbox; sender: MessageSender; templates: Templates; clock: Clock },
  ) {}

  async execute(event: LifecycleEvent): Promise<NotifyOutcome> {
    const notice = noticeFor(event, this.deps.templates);
    if (!notice) return 'not-a-status-change';
    const existing = await this.deps.log.find(event.eventId);
    if (existing?.entry.status === 'sent') return 'already-sent';
    let version = existing?.version;
    if (!version) {
      try {
        version = await this.deps.log.claim({ status: 'sending', notice });
      } catch (error) {
        if (error instanceof AlreadyClaimed) return 'busy';
        throw error;
      }
    }
    await this.deps.sender.send(kakaoMessage(notice), notice.eventId);
    const sentAt = this.deps.clock.now().toISOString();
    await this.deps.inbox.add(notice.customerId, {
      eventId: notice.eventId,
      orderId: notice.orderId,
      eventType: notice.eventType,
      text: notice.text,
      sentAt,
    });
    await this.deps.log.markSent({ status: 'sent', notice, sentAt }, version);
    return 'sent';
  }
}
