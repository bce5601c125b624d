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

/**
 * Our own bound: bindings.http waits for KakaoTalk without one unless its component sets `responseTimeout`
 * (components-contrib 1.18 bindings/http). A send that times out fails the delivery, which is then retried.
 */
const SEND_BUDGET_MS = 30_000;
