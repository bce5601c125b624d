import { AppId } from '@burger/contracts';
import { AccessPolicy, type Caller } from '../domain/caller.js';
import type { Reply, Services } from './ports.js';

export const KITCHEN_STEPS = ['start-cooking', 'start-delivery', 'delivered'] as const;
export type KitchenStepName = (typeof KITCHEN_STEPS)[number];

/** What staff can do: see their branch's queue and move its orders along; the branch comes from their token, never the URL. */
export class KitchenBoard {
  constructor(private readonly services: Services) {}

  async queue(caller: Caller): Promise<Reply> {
    const branch = AccessPolicy.kitchenOf(caller);
    return this.services.call(AppId.store, { method: 'GET', path: `/stores/${encodeURIComponent(branch)}/queue` });
  }

  async step(caller: Caller, orderId: string, step: KitchenStepName): Promise<Reply> {
    const branch = AccessPolicy.kitchenOf(caller);
    return this.services.call(AppId.store, { method: 'POST', path: `/stores/${encodeURIComponent(branch)}/orders/${orderId}/${step}` });
  }
}
