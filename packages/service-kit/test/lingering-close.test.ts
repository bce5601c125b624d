import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createServiceApp } from '../src/index.js';
import { closeConnectionsLingering } from '../src/lingering-close.js';
import { createLogger } from '../src/logger.js';

const { app } = createServiceApp({ logger: createLogger('test'), readiness: {}, maxBodyBytes: 4_096 });
app.post('/uploads', async (c) => c.json(await c.req.json()));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
closeConnectionsLingering(server);
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

/**
 * A client that sends 5 MB chunked in one go and reads nothing for 300 ms, as a busy client does:
 * the server has answered 413 and closed long before it looks. What it then reads, and when the
 * connection ended. Without the lingering close the kernel resets the connection over the unread
 * upload and the 413 is lost (EPIPE / ECONNRESET, every time on this loopback).
 */
function slowReadingUpload(): Promise<{ answer: string; closedAfterMs: number }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((settle) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (failure?: string) => settle({ answer: answer || failure || '', closedAfterMs: Date.now() - started });
    socket.pause();
    socket.on('connect', () => {
      const body = Buffer.alloc(5_000_000, 'x');
      socket.write(
        `POST /uploads HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n`,
      );
      socket.write(body);
      setTimeout(() => {
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.resume();
      }, 300);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code}`));
    socket.on('close', () => done());
  });
}

describe('closing a connection while the client still uploads', () => {
  it('delivers the 413 to a client that reads late, then closes the connection within the linger time', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { answer, closedAfterMs } = await slowReadingUpload();
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
      expect(answer).toContain('"error":"payload_too_large"');
      expect(closedAfterMs).toBeLessThan(4_000);
    }
  }, 20_000);
});
