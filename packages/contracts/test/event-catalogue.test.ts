import { describe, expect, it } from 'vitest';
import { AnyEvent, eventCatalogue, TopicOf } from '../src/index.js';

describe('event catalogue (AsyncAPI 3.0, generated)', () => {
  const doc = eventCatalogue() as {
    asyncapi: string;
    channels: Record<string, { messages: Record<string, unknown> }>;
    components: { messages: Record<string, { payload: { required?: string[]; properties: Record<string, unknown> } }> };
  };

  it('lists every event type on its topic, with a JSON Schema payload from the zod contract', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.keys(doc.components.messages).sort()).toEqual(AnyEvent.options.map((s) => s.shape.type.value).sort());
    for (const [type, topic] of Object.entries(TopicOf)) {
      expect(doc.channels[topic]!.messages[type], `${type} on ${topic}`).toBeDefined();
      expect(doc.components.messages[type]!.payload.required, type).toEqual(
        expect.arrayContaining(['eventId', 'occurredAt', 'version', 'type']),
      );
    }
    expect(doc.components.messages.OrderPlaced!.payload.properties).toHaveProperty('totalCents');
  });
});
