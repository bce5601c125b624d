import { Component, type KakaoMessage } from '@burger/contracts';
import { sidecarRequest } from '@burger/service-kit';
import type { MessageSender } from '../../application/ports.js';

/**
 * Sends through the `kakao-binding` output binding (bindings.http): its URL and
 * credentials live in the component, so pointing at the real KakaoTalk API or
 * the local sink is a YAML change. Metadata keys become request headers.
 */
export class KakaoBindingSender implements MessageSender {
  async send(message: KakaoMessage, idempotencyKey: string): Promise<void> {
    // The sidecar's bindings API (our keep-alive client rather than the SDK's, as for every other sidecar call).
    const answer = await sidecarRequest('POST', `/v1.0/bindings/${Component.kakaoBinding}`, {
      body: JSON.stringify({
        operation: 'post',
        data: message,
        metadata: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      }),
      timeoutMs: SEND_BUDGET_MS,
    });
    if (answer.status >= 300) throw new Error(`kakao-binding: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
  }
}

/** Longer than the http binding's own wait for KakaoTalk (bindings.http's default response timeout). */
const SEND_BUDGET_MS = 30_000;
