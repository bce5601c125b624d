import type { LifecycleEvent } from '@burger/contracts';
import { kakaoMessage, type Notice, noticeFor, type Templates } from '../domain/notice.js';
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
 *
 * The claim comes first and the log is read only when it fails: nearly every event is delivered once, and so
 * costs one write before the send and one after (issue 18: a read before the claim and one after it were two
 * more sidecar calls per message). Of two deliveries of one event at the same moment (rare: a partition is
 * delivered in order, so it takes a republish or a rebalance), the second finds the first's claim at 'sending' and
 * sends too, under the same key, as a delivery that read 'sending' did before the claim came first.
 */
export class NotifyCustomer {
  constructor(
    private readonly deps: { log: SentMessageLog; inbox: CustomerInbox; sender: MessageSender; templates: Templates; clock: Clock },
  ) {}

  async execute(event: LifecycleEvent): Promise<NotifyOutcome> {
    const notice = noticeFor(event, this.deps.templates);
    if (!notice) return 'not-a-status-change';
    const claim = await this.claim(notice);
    if (claim !== 'ours') return claim;
    await this.deps.sender.send(kakaoMessage(notice), notice.eventId);
    const sentAt = this.deps.clock.now().toISOString();
    await this.deps.inbox.add(notice.customerId, {
      eventId: notice.eventId,
      orderId: notice.orderId,
      eventType: notice.eventType,
      text: notice.text,
      sentAt,
    });
    await this.deps.log.markSent({ status: 'sent', notice, sentAt });
    return 'sent';
  }

  /** 'ours' when this delivery is to send: a new claim, or one an earlier attempt left at 'sending'. */
  private async claim(notice: Notice): Promise<'ours' | 'already-sent' | 'busy'> {
    try {
      await this.deps.log.claim({ status: 'sending', notice });
      return 'ours';
    } catch (error) {
      if (!(error instanceof AlreadyClaimed)) throw error;
    }
    const existing = await this.deps.log.find(notice.eventId);
    if (existing?.status === 'sent') return 'already-sent';
    // Claimed, yet not readable: let the broker bring the event back rather than guess.
    return existing ? 'ours' : 'busy';
  }
}
