import { Component } from '@burger/contracts';
import { DaprStateStore, PagedList } from '@burger/service-kit';
import type { CustomerInbox, InboxEntry, InboxPage } from '../../application/ports.js';

/**
 * A customer's inbox in pages (PagedList): each message rewrites only the small head page,
 * however many a customer has received. Older messages stay readable page by page.
 */
export class DaprCustomerInbox implements CustomerInbox {
  private readonly pages: PagedList<InboxEntry>;

  constructor() {
    this.pages = new PagedList<InboxEntry>(new DaprStateStore(Component.notificationStore), 'inbox', (entry) => entry.eventId);
  }

  async list(customerId: string, page: { limit: number; cursor?: string | undefined }): Promise<InboxPage> {
    const { items, nextCursor } = await this.pages.page(customerId, page);
    return { messages: items, ...(nextCursor ? { nextCursor } : {}) };
  }

  async add(customerId: string, entry: InboxEntry): Promise<void> {
    await this.pages.add(customerId, entry);
  }
}
