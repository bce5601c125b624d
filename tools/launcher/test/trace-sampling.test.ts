import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/paths.js';
import { withTraceSampling } from '../src/trace-sampling.js';

const ORDER_CONFIG = join(ROOT, 'dapr-config', 'apps', 'order.yaml');

describe('BURGER_TRACE_SAMPLING', () => {
  it('leaves the Configuration as it is without the variable', () => {
    expect(withTraceSampling(ORDER_CONFIG, undefined)).toBe(ORDER_CONFIG);
    expect(withTraceSampling(ORDER_CONFIG, '')).toBe(ORDER_CONFIG);
  });

  it('gives a copy that differs in the sampling rate only', () => {
    const copy = withTraceSampling(ORDER_CONFIG, '0.1');
    expect(copy).not.toBe(ORDER_CONFIG);
    const original = readFileSync(ORDER_CONFIG, 'utf8');
    expect(original).toContain('samplingRate: "1"');
    expect(readFileSync(copy, 'utf8')).toBe(original.replace('samplingRate: "1"', 'samplingRate: "0.1"'));
  });

  it('refuses a rate that is not between 0 and 1', () => {
    for (const rate of ['10', '-0.1', 'ten', '1.5', '0.1"'])
      expect(() => withTraceSampling(ORDER_CONFIG, rate), rate).toThrow(/BURGER_TRACE_SAMPLING/);
  });
});
