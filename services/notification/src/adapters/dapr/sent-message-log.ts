import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import { AlreadyClaimed, type SentMessageEntry, type SentMessageLog } from '../../application/ports.js';

/**
 * The sent-message log in notification's own store (`notificationstore`, its own Redis database): per event a claim
 * (`sent-<id>`, 'sending') and, once the provider took the message, a mark of its own (`sent-mark-<id>`, 'sent').
 * Both are first writes, so neither needs a read: the mark cannot overwrite the claim, because Dapr's Redis store
 * refuses any write without an ETag to a key that was first written with first-write concurrency
 * (components-contrib 1.18 state/redis `setDefaultQuery`), and an ETag would cost a read after the claim.
 * Logs written before the mark existed hold 'sent' in the claim itself; `find` reads both.
 */
export class DaprSentMessageLog implements SentMessageLog {
  private readonly store: DaprStateStore<SentMessageEntry>;

  constructor() {
    this.store = new DaprStateStore(Component.notificationStore);
  }

  async find(eventId: string) {
    const [mark, claim] = [markKey(eventId), claimKey(eventId)];
    const found = await this.store.readVersions([mark, claim]);
    return (found.get(mark) ?? found.get(claim))?.value as SentMessageEntry | undefined;
  }

  async claim(entry: SentMessageEntry): Promise<void> {
    try {
      await this.store.put(claimKey(entry.notice.eventId), entry);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new AlreadyClaimed(entry.notice.eventId) : error;
    }
  }

  async markSent(entry: SentMessageEntry): Promise<void> {
    try {
      await this.store.put(markKey(entry.notice.eventId), entry);
    } catch (error) {
      // Another delivery marked it first: the message went out either way.
      if (!(error instanceof ConcurrentWriteError)) throw error;
    }
  }
}

const claimKey = (eventId: string) => `sent-${eventId}`;
const markKey = (eventId: string) => `sent-mark-${eventId}`;
