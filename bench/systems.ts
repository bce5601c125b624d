import { randomUUID } from 'node:crypto';
import { BRANCH_IDS } from '@burger/contracts';
import { tokensOfApp, type LocalSecrets } from '../tools/launcher/src/secrets.js';
import type { AppSpec } from '../tools/launcher/src/run-file.js';
import type { PlaceOne } from './load.js';

/**
 * What one benchmark run places: a fresh set of customers, spread over the real branches
 * (order refuses a branch that is not in contracts' list, before charging). A branch's queue
 * has a ticket per order and a small board of open ones, so runs do not disturb each other.
 */
export function orderFor(run: string, n: number): PlacementRequest {
  return {
    customerId: `bench-${run}-${n % 200}`,
    storeId: BRANCH_IDS[n % BRANCH_IDS.length]!,
    lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 + (n % 3) }],
  };
}

export interface PlacementRequest {
  customerId: string;
  storeId: string;
  lines: Array<{ menuItemId: string; quantity: number }>;
}

/** A failed placement; `retryAfterMs` when the system asked to be left alone for a while (503 + Retry-After). */
export class PlacementRefused extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

async function postOrder(url: string, headers: Record<string, string>, body: unknown): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 201) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new PlacementRefused(
      `${response.status} ${text.slice(0, 200)}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0,
    );
  }
  return (JSON.parse(text) as { orderId: string }).orderId;
}

/** Through order's sidecar (service invocation with the Dapr API token), as a gateway's sidecar would call it. */
export function daprPlacement(
  order: AppSpec,
  _secrets: LocalSecrets,
  shape: (run: string, n: number) => PlacementRequest = orderFor,
): (run: string) => PlaceOne {
  const url = `http://127.0.0.1:${order.daprHttpPort}/v1.0/invoke/order/method/orders`;
  return (run) => (n) => postOrder(url, { 'dapr-api-token': tokensOfApp(order.appId)['dapr-api-token'] }, shape(run, n));
}

/** Straight to the baseline's order endpoint in this process. */
export function directPlacement(orderUrl: string): (run: string) => PlaceOne {
  return (run) => (n) => postOrder(`${orderUrl}/orders`, {}, orderFor(run, n));
}

/** Polls order-view's app (with the app token its sidecar uses) until the order shows there; ms after `acceptedAt`. */
export async function visibleInView(
  view: AppSpec,
  _secrets: LocalSecrets,
  orderId: string,
  acceptedAt: number,
  timeoutMs = 30_000,
): Promise<number | undefined> {
  const url = `http://127.0.0.1:${view.appPort}/orders/${orderId}`;
  while (Date.now() - acceptedAt < timeoutMs) {
    const response = await fetch(url, { headers: { 'dapr-api-token': tokensOfApp(view.appId)['app-api-token'] } });
    await response.arrayBuffer();
    if (response.status === 200) return Date.now() - acceptedAt;
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

export const runTag = () => randomUUID().slice(0, 8);
