import { serve } from '@hono/node-server';
import { createSinkApp } from './app.js';

// No fallback: the launcher gives the port (tools/launcher/src/infra/ports.ts, the one list of local infrastructure ports).
const port = Number(process.env.KAKAO_SINK_PORT);
if (!Number.isInteger(port) || port < 1 || port > 65_535)
  throw new Error(`KAKAO_SINK_PORT is not set to a TCP port: the launcher starts this sink and sets it`);
const app = createSinkApp({ token: process.env.KAKAO_SINK_TOKEN, logFile: process.env.KAKAO_SINK_LOG });
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(JSON.stringify({ msg: 'kakao sink listening', port })));
process.on('SIGTERM', () => process.exit(0));
