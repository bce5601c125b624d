import { describe, expect, it } from 'vitest';
import { createSinkApp } from '../src/app.js';

const message = {
  receiver_uuids: ['kim'],
  template_object: { object_type: 'text', text: 'Your burger is cooking', link: { web_url: 'https://burger.example' } },
};
const send = (app: ReturnType<typeof createSinkApp>, body: unknown, headers: Record<string, string> = {}) =>
  app.request('/v1/api/talk/friends/message/default/send', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('the local KakaoTalk sink', () => {
  it('accepts a message once per idempotency key', async () => {
    const app = createSinkApp();
    expect((await send(app, message, { 'idempotency-key': 'e1' })).status).toBe(200);
    expect((await send(app, message, { 'idempotency-key': 'e1' })).status).toBe(200);
    expect((await send(app, message, { 'idempotency-key': 'e2' })).status).toBe(200);
    const listed = (await (await app.request('/messages?receiver=kim')).json()) as { messages: unknown[] };
    expect(listed.messages).toHaveLength(2);
  });

  it('names the bad field and checks the token', async () => {
    const app = createSinkApp({ token: 't' });
    expect((await send(app, message)).status).toBe(401);
    const bad = await send(app, { ...message, receiver_uuids: [] }, { authorization: 'Bearer t' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('receiver_uuids');
  });
});
