import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import type { CustomerInbox, InboxEntry } from '../../application/ports.js';

const MAX_ATTEMPTS = 8;
/** A customer's inbox keeps the latest messages; older ones stay in the sent-message log. */
const INBOX_SIZE = 200;

export class DaprCustomerInbox implements CustomerInbox {
  private readonly store: DaprStateStore<InboxEntry[]>;

  constructor(client: DaprClient) {
    this.store = new DaprStateStore(client, Component.notificationStore);
  }

  async list(customerId: string): Promise<InboxEntry[]> {
    return (await this.store.get(key(customerId)))?.value ?? [];
  }

  async add(customerId: string, entry: InboxEntry): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.get(key(customerId));
      const entries = stored?.value ?? [];
      if (entries.some((e) => e.eventId === entry.eventId)) return;
      try {
        await this.store.put(key(customerId), [entry, ...entries].slice(0, INBOX_SIZE), stored?.etag);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrentWriteError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

const key = (customerId: string) => `inbox-${customerId}`;
