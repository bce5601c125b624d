import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { control, eventually, invoke } from '../support/api.js';
import { kitchen, newCustomer, orderStatus, placeOrder, viewOf, waitUntilQueued } from '../support/scenario.js';
import { stackInfo } from '../support/stack-info.js';

const ROOT = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '.dapr') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The seed's last chapter: a new team joins by subscribing to existing events, touching nothing else. */
describe('the marketing team joins and leaves', () => {
  const absent = stackInfo().absent.includes('marketing');
  if (absent)
    console.warn('!! SKIPPING the marketing tests that need it running: this run was started without marketing (BURGER_STACK_WITHOUT)');

  it.skipIf(absent)("recommends from a customer's order history, learnt from events only", async () => {
    const customerId = newCustomer('taste');
    await placeOrder(customerId, 'gangnam', [{ menuItemId: 'shrimp-burger', quantity: 3 }]);
    await placeOrder(customerId, 'gangnam', [
      { menuItemId: 'shrimp-burger', quantity: 1 },
      { menuItemId: 'veggie-burger', quantity: 1 },
    ]);
    // Through the gateway's sidecar: marketing's access list admits the gateway, and its own sidecar serves no invocation.
    const recommendations = await eventually('recommendations from two orders', async () => {
      const response = await invoke('marketing', 'GET', `/customers/${customerId}/recommendations`, undefined, 'gateway');
      return response.status === 200 && response.body.basedOnOrders === 2 ? response.body : undefined;
    });
    expect(recommendations.recommendations[0]).toMatchObject({ menuItemId: 'shrimp-burger' });
  });

  it("is mentioned by no other service's code, component or store", () => {
    const others = [
      ...filesUnder(join(ROOT, 'services')).filter((f) => !relative(ROOT, f).startsWith('services/marketing/')),
      ...filesUnder(join(ROOT, 'packages')),
      ...filesUnder(join(ROOT, 'components')).filter((f) => !basename(f).startsWith('marketing')),
      ...filesUnder(join(ROOT, 'dapr-config')),
    ];
    const mentioning = others.filter((f) => /marketing/i.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(mentioning).toEqual([]);
  });

  it.skipIf(absent)('leaves everyone else working when it is stopped mid-run', async () => {
    await control('marketing', 'stop');
    try {
      const customerId = newCustomer('nomkt');
      const order = await placeOrder(customerId, 'jongno');
      await waitUntilQueued('jongno', [order.orderId]);
      expect((await kitchen('jongno', order.orderId, 'start-cooking')).status).toBe(200);
      await orderStatus(order.orderId, (o) => o.status === 'Cooking');
      await viewOf(order.orderId, (v) => v.status === 'Cooking');
    } finally {
      await control('marketing', 'start');
    }
  });
});
