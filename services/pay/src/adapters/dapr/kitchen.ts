import { AppId, KitchenStatus } from '@burger/contracts';
import { invokeApp } from '@burger/service-kit';
import type { Kitchen } from '../../application/ports.js';
import type { KitchenWord } from '../../domain/payment.js';

/** Store's answer within a refund's budget; a failure throws, so the refund waits (redelivery, retry) rather than guess. */
const KITCHEN_CALL_MS = 3_000;

/** Asks store, through pay's sidecar (store's access list admits pay), what it decided about an order. */
export class DaprKitchen implements Kitchen {
  async statusOf(orderId: string): Promise<KitchenWord> {
    const result = await invokeApp(AppId.store, `orders/${orderId}/kitchen-status`, { verb: 'GET', timeoutMs: KITCHEN_CALL_MS });
    if (result.status !== 200) throw new Error(`kitchen status of ${orderId}: store answered ${result.status}`);
    return KitchenStatus.parse(result.body).status;
  }
}
