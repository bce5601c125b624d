import type { KakaoMessage } from '@burger/contracts';
import type { Notice } from '../domain/notice.js';

/** One entry per event: 'sending' once claimed, 'sent' once the provider accepted it. */
export interface SentMessageEntry {
  status: 'sending' | 'sent';
  notice: Notice;
  sentAt?: string;
}

export interface SentMessageLog {
  find(eventId: string): Promise<SentMessageEntry | undefined>;
  /** Records the claim; throws AlreadyClaimed if the event has an entry already (claimed or sent). */
  claim(entry: SentMessageEntry): Promise<void>;
  /** Marks the message sent (once: a mark already there, by another delivery, stands). */
  markSent(entry: SentMessageEntry): Promise<void>;
}

export class AlreadyClaimed extends Error {}

export interface InboxEntry {
  eventId: string;
  orderId: string;
  eventType: string;
  text: string;
  sentAt: string;
}

export interface InboxPage {
  messages: InboxEntry[];
  /** Where the next (older) page starts; absent on the last page. */
  nextCursor?: string;
}

export interface CustomerInbox {
  /** Adds the entry once (keyed by eventId), newest first. */
  add(customerId: string, entry: InboxEntry): Promise<void>;
  /** Newest first, `limit` at a time from `cursor`. */
  list(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<InboxPage>;
}

export interface MessageSender {
  /**
   * `idempotencyKey` (the event id) goes along as a header: the local sink shows a resend under it once, but the
   * real KakaoTalk API does not de-duplicate, so a resend after a crash between send and mark can arrive twice.
   */
  send(message: KakaoMessage, idempotencyKey: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}
