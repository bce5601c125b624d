import { ConcurrentWriteError, DaprStateStore } from '@burger/service-kit';
import { describe, expect, it } from 'vitest';
import { DirectSidecar } from './direct-sidecar.js';
import { EtagConflict, mustBeNew, type StateDriver, type StateOp, type StoredItem } from './state/driver.js';

/** A store with versions, all-or-nothing batches and first writes, in memory: the shape the real drivers keep. */
class MemoryState implements StateDriver {
  readonly rows = new Map<string, { json: string; version: number }>();

  async read(keys: string[]): Promise<StoredItem[]> {
    return keys.flatMap((key) => {
      const row = this.rows.get(key);
      return row ? [{ key, json: row.json, etag: String(row.version) }] : [];
    });
  }

  async apply(ops: StateOp[]): Promise<void> {
    for (const op of ops) {
      const row = this.rows.get(op.key);
      if ((op.etag && String(row?.version) !== op.etag) || (mustBeNew(op) && row)) throw new EtagConflict(op.key);
    }
    for (const op of ops) {
      if (op.kind === 'delete') this.rows.delete(op.key);
      else this.rows.set(op.key, { json: op.json, version: (this.rows.get(op.key)?.version ?? 0) + 1 });
    }
  }

  async close(): Promise<void> {}
}

function twin() {
  const memory = new MemoryState();
  const components = new Map([['orderstore', { name: 'orderstore', type: 'state.postgresql', metadata: {} }]]);
  const sidecar = new DirectSidecar('order', '/nowhere', components, { pay: [3002, 3102] }, 'token', () => memory);
  return { memory, sidecar, store: new DaprStateStore<{ n: number }>('orderstore', sidecar) };
}

describe("the direct twin answers daprd's state API as the apps' own client expects", () => {
  it('keeps keys under the app-id prefix, and reads them back with their ETags, in the order asked', async () => {
    const { memory, store } = twin();
    await store.put('a', { n: 1 });
    await store.put('b', { n: 2 });
    expect([...memory.rows.keys()]).toEqual(['order||a', 'order||b']);
    expect(await store.getMany(['b', 'missing', 'a'])).toEqual([{ n: 2 }, { n: 1 }]);
    expect(await store.get('a')).toEqual({ value: { n: 1 }, etag: '1' });
  });

  it('refuses a first write on a key that exists and a write over a stale ETag, as a concurrent write', async () => {
    const { store } = twin();
    await store.put('a', { n: 1 });
    await expect(store.put('a', { n: 2 })).rejects.toBeInstanceOf(ConcurrentWriteError);
    await store.put('a', { n: 2 }, '1');
    await expect(store.put('a', { n: 3 }, '1')).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect((await store.get('a'))?.value).toEqual({ n: 2 });
  });

  it('writes a transaction all or not at all', async () => {
    const { store } = twin();
    await store.put('a', { n: 1 });
    await expect(
      store.putAll([
        { key: 'b', value: { n: 2 } },
        { key: 'a', value: { n: 9 }, etag: '7' },
      ]),
    ).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect(await store.get('b')).toBeUndefined();
    await store.putAll([
      { key: 'b', value: { n: 2 } },
      { key: 'a', remove: true, etag: '1' },
    ]);
    expect(await store.getMany(['a', 'b'])).toEqual([{ n: 2 }]);
  });

  it('deletes only the version named', async () => {
    const { store } = twin();
    await store.put('a', { n: 1 });
    await expect(store.delete('a', '5')).rejects.toBeInstanceOf(ConcurrentWriteError);
    await store.delete('a', '1');
    expect(await store.get('a')).toBeUndefined();
  });

  it('says plainly which sidecar API it does not serve, and invokes over the replicas in turn', async () => {
    const { sidecar } = twin();
    const answer = await sidecar.request('POST', '/v1.0-alpha1/jobs/x', { timeoutMs: 1_000 });
    expect(answer.status).toBe(404);
    expect(answer.text).toContain('does not serve');
    expect([sidecar.invocationUrl('pay', '/payments'), sidecar.invocationUrl('pay', 'payments')]).toEqual([
      'http://127.0.0.1:3102/payments',
      'http://127.0.0.1:3002/payments',
    ]);
  });
});
