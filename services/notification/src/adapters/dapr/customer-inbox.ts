import type { DaprClient } from '@dapr/dapr';
import { Component } from '@burger/contracts';
import { ConcurrentWriteError, DaprStateStore, KeyedTurns, retryOnConflict } from '@burger/service-kit';
import type { CustomerInbox, InboxEntry } from '../../application/ports.js';

/** A customer's inbox keeps the latest messages; older ones stay in the sent-message log. */
const INBOX_SIZE = 200;

export class DaprCustomerInbox implements CustomerInbox {
  private readonly store: DaprStateStore<InboxEntry[]>;
  /** A customer's burst of status changes makes their inbox a hot key. */
  private readonly turns = new KeyedTurns();

  constructor(client: DaprClient) {
    this.store = new DaprStateStore(client, Component.notificationStore);
  }

  async list(customerId: string): Promise<InboxEntry[]> {
    return (await this.store.get(key(customerId)))?.value ?? [];
  }

  async add(customerId: string, entry: InboxEntry): Promise<void> {
    await this.turns.run(customerId, () =>
      retryOnConflict(async () => {
        const stored = await this.store.get(key(customerId));
        const entries = stored?.value ?? [];
        if (entries.some((e) => e.eventId === entry.eventId)) return;
        await this.store.put(key(customerId), [entry, ...entries].slice(0, INBOX_SIZE), stored?.etag);
      }, (error) => error instanceof ConcurrentWriteError),
    );
  }
}

const key = (customerId: string) => `inbox-${customerId}`;
