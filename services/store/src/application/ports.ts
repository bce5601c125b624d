import type { CookingTicket, StoreQueue } from '../domain/store-queue.js';

export interface VersionedQueue {
  queue: StoreQueue;
  /** Opaque version for optimistic concurrency; undefined for a queue never stored. */
  version?: string;
}

export interface StoreQueueRepository {
  load(storeId: string): Promise<VersionedQueue>;
  /** Writes if nobody else wrote since `version`; otherwise throws QueueChangedMeanwhile. */
  save(queue: StoreQueue, version: string | undefined): Promise<void>;
}

export class QueueChangedMeanwhile extends Error {}

/** What the kitchen tells the world. Each event happens once per order, so announcing it again is harmless. */
export type KitchenAnnouncement =
  | { type: 'OrderQueued' | 'CookingStarted' | 'DeliveryStarted' | 'OrderDelivered' | 'OrderCancelled'; ticket: CookingTicket }
  | { type: 'CancellationRejected'; ticket: CookingTicket; reason: string };

export interface KitchenEvents {
  announce(announcement: KitchenAnnouncement): Promise<void>;
}

export interface Clock {
  now(): Date;
}
