import type { DaprClient } from '@dapr/dapr';
import { Component, type KakaoMessage } from '@burger/contracts';
import type { MessageSender } from '../../application/ports.js';

/**
 * Sends through the `kakao-binding` output binding (bindings.http): its URL and
 * credentials live in the component, so pointing at the real KakaoTalk API or
 * the local sink is a YAML change. Metadata keys become request headers.
 */
export class KakaoBindingSender implements MessageSender {
  constructor(private readonly client: DaprClient) {}

  async send(message: KakaoMessage, idempotencyKey: string): Promise<void> {
    await this.client.binding.send(Component.kakaoBinding, 'post', message, {
      'Content-Type': 'application/json',
      'Idempotency-Key': idempotencyKey,
    });
  }
}
