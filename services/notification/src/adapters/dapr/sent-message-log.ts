import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import { AlreadyClaimed, type SentMessageEntry, type SentMessageLog } from '../../application/ports.js';

/** The sent-message log in notification's own store (`notificationstore`, its own Redis database). */
export class DaprSentMessageLog implements SentMessageLog {
  private readonly store: DaprStateStore<SentMessageEntry>;

  constructor() {
    this.store = new DaprStateStore(Component.notificationStore);
  }

  async find(eventId: string) {
    const stored = await this.store.get(key(eventId));
    return stored && { entry: stored.value, version: stored.etag };
  }

  async claim(entry: SentMessageEntry): Promise<string> {
    try {
      await this.store.put(key(entry.notice.eventId), entry);
    } catch (error) {
      throw error instanceof ConcurrentWriteError ? new AlreadyClaimed(entry.notice.eventId) : error;
    }
    const stored = await this.store.get(key(entry.notice.eventId));
    return stored!.etag;
  }

  async markSent(entry: SentMessageEntry, version: string): Promise<void> {
    try {
      await this.store.put(key(entry.notice.eventId), entry, version);
    } catch (error) {
      // Someone else marked it meanwhile: the message went out either way.
      if (!(error instanceof ConcurrentWriteError)) throw error;
    }
  }
}

const key = (eventId: string) => `sent-${eventId}`;
