/**
 * How many live-status streams (Server-Sent Events) one gateway replica holds open at once: per
 * account, per client address and in all. Each open stream costs a socket to the client and one
 * through the sidecar to order-view, so an unbounded number is a cheap way to exhaust file
 * descriptors (the issue measured 250 streams of one account: 30 → 530 descriptors).
 * A customer follows an order or two at a time; 4 leaves room for a few tabs.
 */
export const LIVE_STREAM_LIMITS = { perAccount: 4, perAddress: 32, total: 1_000 } as const;

export type StreamLimits = { perAccount: number; perAddress: number; total: number };

/** Which bound refused a stream. */
export type StreamRefusal = 'account' | 'address' | 'total';

/** A held slot; `release()` gives it back (idempotent: a stream ends once, however many ways it is told). */
export interface StreamSlot {
  release(): void;
}

/**
 * Counts the open streams of this replica. In memory on purpose: a stream is held by this process,
 * and its slot must come back when the process loses it (client gone, upstream closed, crash), which a
 * shared counter in Redis would not see; behind N replicas an account holds at most N × perAccount.
 */
export class LiveStreams {
  private readonly byAccount = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  private open = 0;

  constructor(private readonly limits: StreamLimits = LIVE_STREAM_LIMITS) {}

  /** A slot for one more stream of this account from this address, or the bound it would break. */
  acquire(accountId: string, address: string): StreamSlot | StreamRefusal {
    if ((this.byAccount.get(accountId) ?? 0) >= this.limits.perAccount) return 'account';
    if ((this.byAddress.get(address) ?? 0) >= this.limits.perAddress) return 'address';
    if (this.open >= this.limits.total) return 'total';
    bump(this.byAccount, accountId, 1);
    bump(this.byAddress, address, 1);
    this.open += 1;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        bump(this.byAccount, accountId, -1);
        bump(this.byAddress, address, -1);
        this.open -= 1;
      },
    };
  }

  get size(): number {
    return this.open;
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
