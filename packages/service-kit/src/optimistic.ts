import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Framework-free (importable from application layers as `@burger/service-kit/concurrency`).
 *
 * Writers to the same key from one process take turns: a burst for one hot key
 * (one branch's queue, one customer's index) then costs no conflicts inside a
 * replica, and ETags settle the rest between replicas.
 */
export class KeyedTurns {
  private readonly turns = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const turn = (this.turns.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.turns.set(key, turn);
    try {
      return await turn;
    } finally {
      if (this.turns.get(key) === turn) this.turns.delete(key);
    }
  }
}

/**
 * Re-runs a read-decide-write while `isConflict` says another writer got in
 * between, with a growing random pause so competing replicas spread out.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, isConflict: (error: unknown) => boolean, maxAttempts = 10): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error) || tries >= maxAttempts) throw error;
      await sleep(Math.random() * 20 * tries);
    }
  }
}
