import { serve } from '@hono/node-server';
import { createTraceSinkApp } from './app.js';

const port = Number(process.env.TRACE_SINK_PORT ?? 9411);
serve({ fetch: createTraceSinkApp().fetch, port, hostname: '127.0.0.1' }, () => console.log(JSON.stringify({ msg: 'trace sink listening', port })));
process.on('SIGTERM', () => process.exit(0));
