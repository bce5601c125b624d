import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long a closing connection keeps taking the client's bytes after our last response. */
const LINGER_MS = 2_000;
const lingering = new WeakSet<Socket>();

/**
 * RFC 9112 §9.6 ("tear-down"): a server that closes while the client is still sending (a 413 to
 * an upload, `Connection: close`) must half-close and go on reading for a while. Node closes at
 * once, so the unread body makes the kernel answer with a reset, and a reset can erase the
 * response from the client's buffers before it reads it: the client sees "connection reset"
 * instead of our 413. Here the write side ends (FIN after the response), and the socket is
 * destroyed when the client closes or after LINGER_MS, whichever comes first.
 */
export function closeConnectionsLingering(server: Server): void {
  // node:http ends a `Connection: close` exchange with socket.destroySoon(); that is the one place to change.
  server.on('connection', (socket: Socket & { destroySoon?: () => void }) => {
    socket.destroySoon = () => lingerThenClose(socket);
  });
}

function lingerThenClose(socket: Socket): void {
  if (lingering.has(socket)) return;
  lingering.add(socket);
  if (socket.writable) socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
