import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp, limitBody, parseJsonBody, PROBLEM_CONTENT_TYPE } from '../src/index.js';
import { createLogger } from '../src/logger.js';

/** One app as every service builds it (prometheus registers its metrics once per process). */
const writes: unknown[] = [];
const { app } = createServiceApp({ logger: createLogger('test'), readiness: {}, maxBodyBytes: 2_048 });
const Thing = z.object({ name: z.string().max(10) }).strict();
app.post('/things', async (c) => {
  writes.push(await parseJsonBody(c, Thing));
  return c.json({ ok: true }, 201);
});
app.get('/things/:id', (c) => c.json({ id: c.req.param('id') }));
app.put('/small', limitBody(16), async (c) => c.json(await parseJsonBody(c, z.unknown())));
app.get('/boom', () => {
  throw new Error('secret internals at /srv/app.ts:12');
});

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }, path = '/things') =>
  app.request(path, { method: 'POST', body, headers });
/** A body with no Content-Length (chunked), so only counting while it streams can catch its size. */
const streamed = (bytes: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 512) controller.enqueue(new TextEncoder().encode('x'.repeat(Math.min(512, bytes - sent))));
      controller.close();
    },
  });

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
  const body = (await response.json()) as Record<string, unknown>;
  expect(JSON.stringify(body)).not.toMatch(/at \/|\.ts:\d|stack/);
  return body;
}

describe('the shared HTTP layer: one error contract for bad input', () => {
  it('malformed JSON → 400 invalid_json; no body → 400; schema violation → 400 naming the field; nothing written', async () => {
    writes.length = 0;
    const malformed = await post('{"name": "a",');
    expect(malformed.status).toBe(400);
    expect(await problem(malformed)).toMatchObject({ error: 'invalid_json', title: 'Bad Request', type: 'about:blank' });
    expect((await post('')).status).toBe(400);
    const invalid = await post(JSON.stringify({ name: 'far too long a name' }));
    expect(invalid.status).toBe(400);
    expect(await problem(invalid)).toMatchObject({ error: 'validation_failed', fields: [{ field: 'name' }] });
    expect(writes).toEqual([]);
    expect((await post(JSON.stringify({ name: 'ok' }))).status).toBe(201);
  });

  it('wrong content type → 415, whatever the body', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const response = await post(JSON.stringify({ name: 'ok' }), { 'content-type': type });
      expect(response.status, type).toBe(415);
      expect(await problem(response)).toMatchObject({ error: 'unsupported_media_type' });
    }
    expect((await post(JSON.stringify({ name: 'ok' }), {})).status).toBe(415);
    expect((await post(JSON.stringify({ name: 'ok' }), { 'content-type': 'application/merge-patch+json; charset=utf-8' })).status).toBe(
      201,
    );
  });

  it('body too large → 413, by its declared length and counted while streaming (no Content-Length), per app and per route', async () => {
    const declared = await post('x'.repeat(3_000));
    expect(declared.status).toBe(413);
    expect(await problem(declared)).toMatchObject({ error: 'payload_too_large', maxBytes: 2_048 });
    const chunked = await app.request('/things', {
      method: 'POST',
      body: streamed(10_000),
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const small = await app.request('/small', {
      method: 'PUT',
      body: JSON.stringify({ note: 'longer than sixteen' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(small.status).toBe(413);
    expect((await app.request('/small', { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } })).status).toBe(
      200,
    );
  });

  it('an undeclared method on a known path → 405 with Allow; an unknown path → 404; both problems', async () => {
    const deleted = await app.request('/things', { method: 'DELETE' });
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('POST');
    expect(await problem(deleted)).toMatchObject({ error: 'method_not_allowed', allowed: ['POST'] });
    const put = await app.request('/things/42', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    expect((await app.request('/things/42', { method: 'HEAD' })).status).toBe(200);
    const missing = await app.request('/nothing-here', { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(await problem(missing)).toMatchObject({ error: 'not_found' });
  });

  it('an unexpected failure is a 500 problem without details', async () => {
    const response = await app.request('/boom');
    expect(response.status).toBe(500);
    const body = await problem(response);
    expect(body.error).toBe('internal_error');
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
