import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { crashIfArmed, withCommitCrash } from '../src/crash-point.js';
import { createLogger } from '../src/logger.js';

const Faults = withCommitCrash({ latencyMs: z.number() });
const logger = createLogger('crash-point-test');

describe('the commit crash point', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is armed for one named customer only', () => {
    expect(Faults.safeParse({ latencyMs: 0, crash: 'after-commit' }).success).toBe(false);
    expect(Faults.safeParse({ latencyMs: 0, crash: 'after-commit', crashCustomerId: 'kim' }).success).toBe(true);
    expect(Faults.parse({ latencyMs: 0 }).crash).toBe('none');
    expect(Faults.safeParse({ latencyMs: 0, crash: 'none', surprise: 1 }).success, 'strict').toBe(false);
  });

  it("kills on the armed customer's write and on no one else's (a sweep's refund of another charge)", () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const armed = Faults.parse({ latencyMs: 0, crash: 'after-commit', crashCustomerId: 'kim' });
    crashIfArmed(logger, armed, { orderId: 'o-1', customerId: 'lee' });
    crashIfArmed(logger, Faults.parse({ latencyMs: 0 }), { orderId: 'o-2', customerId: 'kim' });
    expect(kill).not.toHaveBeenCalled();
    crashIfArmed(logger, armed, { orderId: 'o-3', customerId: 'kim' });
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
  });
});
