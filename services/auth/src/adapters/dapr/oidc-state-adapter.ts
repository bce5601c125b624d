import type { Adapter, AdapterPayload } from 'oidc-provider';
import { Component } from '@burger/contracts';
import { sidecarRequest, type SidecarAnswer } from '@burger/service-kit';

const STORE = Component.authStore;
const MAX_INDEX_RETRIES = 8;

interface Stored<T> {
  value: T;
  etag?: string;
}

/**
 * oidc-provider's storage (sessions, interactions, codes, grants, refresh tokens) in a
 * Dapr state store, so every auth replica sees the same sign-ins and a restart keeps
 * them. Entries expire with the store's TTL (`ttlInSeconds`); a grant keeps an index of
 * what was issued under it, so revoking the grant revokes those too.
 */
export class DaprStateAdapter implements Adapter {
  constructor(private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn = 3_600): Promise<void> {
    const writes = [{ key: this.key(id), value: payload, ttl: expiresIn }];
    if (payload.uid) writes.push({ key: `uid:${this.model}:${payload.uid}`, value: { id } as AdapterPayload, ttl: expiresIn });
    await save(writes);
    if (payload.grantId) await remember(payload.grantId, this.key(id), expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return (await load<AdapterPayload>(this.key(id)))?.value;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const pointer = await load<{ id: string }>(`uid:${this.model}:${uid}`);
    return pointer ? this.find(pointer.value.id) : undefined;
  }

  async findByUserCode(): Promise<AdapterPayload | undefined> {
    return undefined; // the device flow is not enabled
  }

  async consume(id: string): Promise<void> {
    const stored = await load<AdapterPayload>(this.key(id));
    if (!stored) return;
    const remaining = stored.value.exp ? Math.max(1, stored.value.exp - Math.floor(Date.now() / 1000)) : undefined;
    await save([{ key: this.key(id), value: { ...stored.value, consumed: Math.floor(Date.now() / 1000) }, ttl: remaining }]);
  }

  async destroy(id: string): Promise<void> {
    await remove(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const index = await load<string[]>(grantKey(grantId));
    await Promise.all([...(index?.value ?? []), grantKey(grantId)].map(remove));
  }
}

const grantKey = (grantId: string) => `grant-index:${grantId}`;
const statePath = (key?: string) => `/v1.0/state/${STORE}${key ? `/${encodeURIComponent(key)}` : ''}`;
const STATE_CALL_MS = 10_000;

interface Write {
  key: string;
  value: unknown;
  ttl?: number | undefined;
  /** Only if unchanged since read (etag) or, without one, only if absent. */
  firstWrite?: { etag?: string | undefined };
}

/** Through the app's sidecar client (one keep-alive pool), as every other store call. */
async function save(writes: Write[]): Promise<SidecarAnswer> {
  const response = await sidecarRequest('POST', statePath(), {
    timeoutMs: STATE_CALL_MS,
    body: JSON.stringify(
      writes.map((w) => ({
        key: w.key,
        value: w.value,
        ...(w.firstWrite ? { ...(w.firstWrite.etag ? { etag: w.firstWrite.etag } : {}), options: { concurrency: 'first-write' } } : {}),
        ...(w.ttl ? { metadata: { ttlInSeconds: String(Math.ceil(w.ttl)) } } : {}),
      })),
    ),
  });
  if (!ok(response) && response.status !== 409) throw new Error(`${STORE} save: HTTP ${response.status} ${response.text.slice(0, 300)}`);
  return response;
}

const ok = (answer: SidecarAnswer) => answer.status < 300;

async function load<T>(key: string): Promise<Stored<T> | undefined> {
  const response = await sidecarRequest('GET', statePath(key), { timeoutMs: STATE_CALL_MS });
  if (response.status === 204) return undefined;
  if (!ok(response)) throw new Error(`${STORE} get ${key}: HTTP ${response.status}`);
  return { value: JSON.parse(response.text) as T, etag: response.headers.get('etag') ?? undefined };
}

async function remove(key: string): Promise<void> {
  const response = await sidecarRequest('DELETE', statePath(key), { timeoutMs: STATE_CALL_MS });
  if (!ok(response)) throw new Error(`${STORE} delete ${key}: HTTP ${response.status}`);
}

/** Adds a key to its grant's index; concurrent writers (two replicas) retry on the ETag instead of losing an entry. */
async function remember(grantId: string, key: string, expiresIn: number): Promise<void> {
  for (let attempt = 0; attempt < MAX_INDEX_RETRIES; attempt++) {
    const index = await load<string[]>(grantKey(grantId));
    const keys = index?.value ?? [];
    if (keys.includes(key)) return;
    const response = await save([
      { key: grantKey(grantId), value: [...keys, key], ttl: Math.max(expiresIn, 86_400), firstWrite: { etag: index?.etag } },
    ]);
    if (ok(response)) return;
  }
  throw new Error(`grant index ${grantId}: too many concurrent writers`);
}
