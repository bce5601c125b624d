import { serve } from '@hono/node-server';
import { createSinkApp } from './app.js';

const port = Number(process.env.KAKAO_SINK_PORT ?? 3900);
const app = createSinkApp({ token: process.env.KAKAO_SINK_TOKEN, logFile: process.env.KAKAO_SINK_LOG });
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(JSON.stringify({ msg: 'kakao sink listening', port })));
process.on('SIGTERM', () => process.exit(0));
