import { describe, expect, it } from 'vitest';
import { BRANCH_IDS, CustomerId, FreeText, MENU_ITEM_IDS, PlaceOrderRequest, SelectFavoriteStoreRequest } from '../src/index.js';

const line = { menuItemId: 'bulgogi-burger', quantity: 1 };
const fieldsOf = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('identifiers are identifiers', () => {
  it('accepts the ids the system uses and refuses control, bidi, spaces, path characters and overlong ones', () => {
    for (const id of ['kim', 'staff-gangnam', 'fr1-1a2b3c4d', 'bench-run.7_1']) expect(CustomerId.safeParse(id).success, id).toBe(true);
    for (const id of ['', 'gang\u0000nam', 'kim\u202e', 'a b', '../pay', 'kim/orders', '-kim', 'x'.repeat(65), 'kïm', 'kim\n'])
      expect(CustomerId.safeParse(id).success, JSON.stringify(id)).toBe(false);
  });

  it('refuses an order for a branch we do not have, or an item not on the menu, naming the field', () => {
    expect(PlaceOrderRequest.safeParse({ customerId: 'kim', storeId: 'gangnam', lines: [line] }).success).toBe(true);
    expect(fieldsOf(PlaceOrderRequest.safeParse({ customerId: 'kim', storeId: 'atlantis', lines: [line] }))).toEqual(['storeId']);
    expect(fieldsOf(PlaceOrderRequest.safeParse({ customerId: 'kim', storeId: 'gang\u0000nam', lines: [line] }))).toEqual(['storeId']);
    expect(fieldsOf(PlaceOrderRequest.safeParse({ customerId: 'kim', lines: [{ ...line, menuItemId: 'pizza' }] }))).toEqual([
      'lines.0.menuItemId',
    ]);
    expect(SelectFavoriteStoreRequest.safeParse({ storeId: 'atlantis' }).success).toBe(false);
    // The same item on two lines counts together (order merges them into one line of at most 20).
    const twice = {
      customerId: 'kim',
      lines: [{ menuItemId: 'cheese-burger', quantity: 14 }, line, { menuItemId: 'cheese-burger', quantity: 10 }],
    };
    expect(fieldsOf(PlaceOrderRequest.safeParse(twice))).toEqual(['lines.2.quantity']);
    expect(PlaceOrderRequest.safeParse({ ...twice, lines: [twice.lines[0], { menuItemId: 'cheese-burger', quantity: 6 }] }).success).toBe(
      true,
    );
    expect(BRANCH_IDS).toContain('gangnam');
    expect(MENU_ITEM_IDS).toContain('bulgogi-burger');
  });

  it('normalises free text to NFC and refuses control and bidi characters', () => {
    const decomposed = 'Cafe\u0301';
    expect(FreeText(20).parse(decomposed)).toBe('Café');
    expect(FreeText(20).parse(decomposed)).toBe(FreeText(20).parse('Caf\u00e9'));
    for (const text of ['a\u0000b', 'tab\there', 'abc\u202edcba', '\u2066isolate\u2069', 'esc\u001b[31m', 'c1\u0085'])
      expect(FreeText(20).safeParse(text).success, JSON.stringify(text)).toBe(false);
    expect(FreeText(3).safeParse('four').success).toBe(false);
  });
});
