import { describe, expect, it } from 'vitest';
import { createTraceSinkApp } from '../src/app.js';

const span = (traceId: string, id: string, service: string) => ({ traceId, id, name: 'call', localEndpoint: { serviceName: service } });

describe('trace sink', () => {
  it('groups the spans it receives by trace and lists the services seen', async () => {
    const app = createTraceSinkApp();
    const post = (body: unknown) =>
      app.request('/api/v2/spans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post([span('a'.repeat(32), '1', 'order'), span('b'.repeat(32), '2', 'pay')])).status).toBe(202);
    expect((await post([span('a'.repeat(32), '3', 'store')])).status).toBe(202);

    const trace = (await (await app.request(`/api/v2/trace/${'a'.repeat(32)}`)).json()) as Array<{ id: string }>;
    expect(trace.map((s) => s.id)).toEqual(['1', '3']);
    expect(await (await app.request('/api/v2/services')).json()).toEqual(['order', 'pay', 'store']);
    expect((await app.request(`/api/v2/trace/${'c'.repeat(32)}`)).status).toBe(404);
  });

  it('refuses what is not a list of spans, naming the field', async () => {
    const response = await createTraceSinkApp().request('/api/v2/spans', { method: 'POST', body: JSON.stringify([{ id: '1' }]) });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('0.traceId');
  });
});
