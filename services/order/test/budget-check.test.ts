import { describe, expect, it } from 'vitest';
import { minimumAbandonedPaymentAgeMs } from '@burger/contracts';
import { abandonedPaymentAfterMs } from '../src/budget-check.js';

describe('the abandoned-payment age against the budgets', () => {
  const minimum = minimumAbandonedPaymentAgeMs();

  it('unset: the age derived from the budgets', () => {
    expect(abandonedPaymentAfterMs(undefined)).toBe(minimum);
  });

  it('at or above the minimum: taken as set', () => {
    expect(abandonedPaymentAfterMs(String(minimum))).toBe(minimum);
    expect(abandonedPaymentAfterMs('120000')).toBe(120_000);
  });

  it('below it (the old 20 s, the old test 12 s) or not a number: refused, naming the minimum', () => {
    for (const setting of ['20000', '12000', 'soon', '-1']) {
      expect(() => abandonedPaymentAfterMs(setting)).toThrow(`at least ${minimum}`);
    }
  });
});
