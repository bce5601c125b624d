import { describe, expect, it } from 'vitest';
import { publicReply } from '../src/adapters/http/public-reply.js';

describe('failures leave the gateway only in the problem shape', () => {
  it("passes a service's problem on (code, sentence, fields, retry-after), nothing else of it", () => {
    const problem = publicReply({
      status: 400,
      body: {
        error: 'validation_failed',
        message: 'Invalid request body: storeId: no',
        fields: [{ field: 'storeId', message: 'no' }],
        internal: 'x',
      },
    });
    expect(problem.status).toBe(400);
    expect(problem.toJSON()).toMatchObject({ error: 'validation_failed', fields: [{ field: 'storeId', message: 'no' }] });
    expect(problem.toJSON()).not.toHaveProperty('internal');
    const busy = publicReply({ status: 503, body: { error: 'payment_unavailable', message: 'Payment is busy' }, retryAfter: '2' });
    expect(busy.headers).toEqual({ 'retry-after': '2' });
  });

  it("turns Dapr's errors (app ids, SPIFFE ids), HTML pages and odd bodies into a generic problem", () => {
    const daprDenied = {
      errorCode: 'ERR_DIRECT_INVOKE',
      message: 'access control policy has denied access: id: spiffe://public/ns/default/gateway operation: payments verb: GET',
    };
    for (const [status, body] of [
      [403, daprDenied],
      [404, daprDenied],
      [500, daprDenied],
      [400, '<html>bad gateway</html>'],
      [404, undefined],
      [409, { error: 'x', message: 'app id pay via sidecar' }],
      [500, { error: 'internal_error', message: 'Something went wrong' }],
    ] as const) {
      const problem = publicReply({ status, body });
      expect(problem.status, JSON.stringify(body)).toBe(502);
      expect(JSON.stringify(problem.toJSON())).not.toMatch(/spiffe|ERR_|gateway operation|sidecar/);
    }
    expect(publicReply({ status: 503, body: daprDenied }).toJSON()).toMatchObject({ error: 'temporarily_unavailable' });
  });
});
