import { Problem } from '@burger/service-kit';
import type { Context } from 'hono';
import type { Reply, Stream } from '../../application/ports.js';
import type { LiveStreams, StreamRefusal } from '../../application/live-streams.js';
import type { GatewayEnv } from './authenticate.js';

const BUSY: Record<StreamRefusal, string> = {
  account: 'This account already follows as many live streams as it may; close one (another tab?) and try again',
  address: 'Too many live streams from this address; close one and try again',
  total: 'The live status is busy right now; please try again shortly',
};
const RETRY_AFTER_SECONDS = 5;
/** The last event of a stream whose token ran out: the client refreshes its token and reconnects. */
const EXPIRED_EVENT = new TextEncoder().encode(
  `event: token_expired\ndata: ${JSON.stringify({ error: 'token_expired', message: 'The access token that opened this stream has expired: refresh it and reconnect' })}\n\n`,
);

export type Follow = (signal: AbortSignal) => Promise<{ reply: Reply } | { stream: Stream }>;

/**
 * A live stream held for the caller: a slot of its account and address (429 when none is left),
 * released however the stream ends (client gone, order-view closed, token expired), and ended
 * when the token that opened it stops being good, so a stream never outlives its authority.
 */
export async function holdLiveStream(
  c: Context<GatewayEnv>,
  streams: LiveStreams,
  address: string,
  follow: Follow,
): Promise<{ reply: Reply } | { response: Response }> {
  // Within the clock skew a token just past its exp still verifies; a stream would end at once, so refresh first.
  if (c.get('tokenExpiresAt') <= Date.now()) {
    throw new Problem(
      401,
      'unauthorized',
      'The access token has expired: refresh it or sign in again',
      {},
      { 'www-authenticate': 'Bearer realm="burger", error="invalid_token"' },
    );
  }
  const slot = streams.acquire(c.get('caller').accountId, address);
  if (typeof slot === 'string') {
    throw new Problem(
      429,
      'too_many_streams',
      BUSY[slot],
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
      { 'retry-after': String(RETRY_AFTER_SECONDS) },
    );
  }
  const upstream = new AbortController();
  const clientGone = () => upstream.abort();
  c.req.raw.signal.addEventListener('abort', clientGone, { once: true });
  let expiry: NodeJS.Timeout | undefined;
  const end = () => {
    clearTimeout(expiry);
    c.req.raw.signal.removeEventListener('abort', clientGone);
    upstream.abort();
    slot.release();
  };
  let followed: Awaited<ReturnType<Follow>>;
  try {
    followed = await follow(upstream.signal);
  } catch (error) {
    end();
    throw error;
  }
  if ('reply' in followed) {
    end();
    return followed;
  }
  const { status, body } = followed.stream;
  if (status !== 200 || !body) {
    end();
    await body?.cancel().catch(() => undefined);
    throw new Problem(502, 'upstream_failed', 'The live status is not available right now; please try again');
  }
  const reader = body.getReader();
  let finished = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      expiry = setTimeout(
        () => {
          if (finished) return;
          finished = true;
          controller.enqueue(EXPIRED_EVENT);
          controller.close();
          void reader.cancel().catch(() => undefined);
          end();
        },
        Math.max(0, c.get('tokenExpiresAt') - Date.now()),
      );
    },
    async pull(controller) {
      // undefined: order-view's stream broke, or was cut by the expiry or the client leaving.
      const chunk = await reader.read().catch(() => undefined);
      if (finished) return;
      if (chunk && !chunk.done) return controller.enqueue(chunk.value);
      finished = true;
      end();
      if (chunk) controller.close();
      else controller.error(new Error('the live status stream from order-view broke'));
    },
    cancel() {
      finished = true;
      void reader.cancel().catch(() => undefined);
      end();
    },
  });
  return {
    response: new Response(stream, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    }),
  };
}
