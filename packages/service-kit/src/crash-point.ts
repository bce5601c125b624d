import { z } from 'zod';
import type { Logger } from './logger.js';

/**
 * The outbox tests' crash point: kill -9 right after a write of one customer's record commits, before anything is
 * published. It is armed for one customer because the sweeps write in the background too (a refund of an earlier
 * test's abandoned charge, a redelivered event), and one of those must not be the write that dies.
 */
const commitCrashFields = {
  crash: z.enum(['none', 'after-commit']).default('none'),
  crashCustomerId: z.string().min(1).optional(),
};

export interface CommitCrash {
  crash: 'none' | 'after-commit';
  crashCustomerId?: string | undefined;
}

/** A service's fault knobs (`shape`) plus the crash point, strict, with the customer required when armed. */
export function withCommitCrash<Shape extends z.ZodRawShape>(shape: Shape) {
  return (
    z
      .object({ ...shape, ...commitCrashFields })
      .strict()
      // The cast: TypeScript cannot see the crash fields through the generic spread; they are there by construction.
      .refine((faults) => namesItsTarget(faults as CommitCrash), {
        message: 'after-commit needs crashCustomerId, the customer whose write is to crash',
        path: ['crashCustomerId'],
      })
  );
}

const namesItsTarget = (faults: CommitCrash) => faults.crash === 'none' || faults.crashCustomerId !== undefined;

/** Kills this process if `armed` names the customer whose write just committed. */
export function crashIfArmed(logger: Logger, armed: CommitCrash, committed: { orderId: string; customerId: string }): void {
  if (armed.crash !== 'after-commit' || armed.crashCustomerId !== committed.customerId) return;
  logger.warn(committed, 'injected crash after the commit: SIGKILL');
  process.kill(process.pid, 'SIGKILL');
}
