import { join } from 'node:path';
import { LOG_DIR, ROOT } from '../paths.js';
import { httpOk, isPortOpen, waitUntil } from '../readiness.js';
import type { Supervisor } from '../supervisor.js';
import { INFRA_PORTS } from './ports.js';

export const KAKAO_SINK = { port: INFRA_PORTS.kakaoSink, messagesFile: join(LOG_DIR, 'kakao-messages.jsonl') } as const;

/**
 * The local stand-in for the KakaoTalk message API that `kakao-binding` points
 * at: what notification sends can be read at GET :3900/messages or in
 * .run/logs/kakao-messages.jsonl.
 */
export async function ensureKakaoSink(supervisor: Supervisor): Promise<'reused' | 'started'> {
  if (await isPortOpen(KAKAO_SINK.port)) return 'reused';
  supervisor.start({
    name: 'kakao-sink',
    tier: 0,
    command: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts'],
    cwd: join(ROOT, 'tools', 'kakao-sink'),
    env: { ...process.env, KAKAO_SINK_PORT: String(KAKAO_SINK.port), KAKAO_SINK_LOG: KAKAO_SINK.messagesFile },
  });
  await waitUntil('KakaoTalk sink', () => httpOk(`http://127.0.0.1:${KAKAO_SINK.port}/healthz`), 20_000);
  return 'started';
}
