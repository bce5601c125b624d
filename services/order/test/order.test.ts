import { describe, expect, it } from 'vitest';
import { STANDARD_MENU } from '../src/domain/menu.js';
import { canMove, IllegalTransition, moveOrder, paidOrder, priceOrder, UnknownMenuItem, type OrderStatus } from '../src/domain/order.js';

const base = { orderId: 'o-1', customerId: 'kim', storeId: 'gangnam' };

describe('pricing an order from the menu', () => {
  it('multiplies menu prices by quantities and sums them', () => {
    const priced = priceOrder(
      {
        ...base,
        lines: [
          { menuItemId: 'bulgogi-burger', quantity: 2 },
          { menuItemId: 'cheese-burger', quantity: 1 },
        ],
      },
      STANDARD_MENU,
    );
    expect(priced.totalCents).toBe(2 * 5_900 + 7_400);
  });

  it('merges repeated items into one line', () => {
    const priced = priceOrder(
      {
        ...base,
        lines: [
          { menuItemId: 'shrimp-burger', quantity: 1 },
          { menuItemId: 'shrimp-burger', quantity: 3 },
        ],
      },
      STANDARD_MENU,
    );
    expect(priced.lines).toEqual([{ menuItemId: 'shrimp-burger', quantity: 4 }]);
    expect(priced.totalCents).toBe(4 * 6_200);
  });

  it('names the line of an item that is not on the menu', () => {
    const attempt = () =>
      priceOrder(
        {
          ...base,
          lines: [
            { menuItemId: 'bulgogi-burger', quantity: 1 },
            { menuItemId: 'pizza', quantity: 1 },
          ],
        },
        STANDARD_MENU,
      );
    expect(attempt).toThrow(UnknownMenuItem);
    expect(attempt).toThrow(expect.objectContaining({ lineIndex: 1, menuItemId: 'pizza' }));
  });

  it('starts a paid order as Paid, stamped and linked to its payment', () => {
    const priced = priceOrder({ ...base, lines: [{ menuItemId: 'veggie-burger', quantity: 1 }] }, STANDARD_MENU);
    const order = paidOrder(priced, 'pay-1', new Date('2026-01-02T03:04:05Z'));
    expect(order).toMatchObject({ status: 'Paid', paymentId: 'pay-1', placedAt: '2026-01-02T03:04:05.000Z', totalCents: 6_000 });
  });
});

describe('the order state machine', () => {
  const statuses: OrderStatus[] = ['Paid', 'Cooking', 'InDelivery', 'Delivered', 'Cancelled'];
  const allowed = new Set(['Paid>Cooking', 'Paid>Cancelled', 'Cooking>InDelivery', 'InDelivery>Delivered']);

  for (const from of statuses) {
    for (const to of statuses) {
      const legal = allowed.has(`${from}>${to}`);
      it(`${legal ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canMove(from, to)).toBe(legal);
        const order = {
          ...paidOrder(priceOrder({ ...base, lines: [{ menuItemId: 'bulgogi-burger', quantity: 1 }] }, STANDARD_MENU), 'p', new Date()),
          status: from,
        };
        if (legal) expect(moveOrder(order, to).status).toBe(to);
        else expect(() => moveOrder(order, to)).toThrow(IllegalTransition);
      });
    }
  }
});
