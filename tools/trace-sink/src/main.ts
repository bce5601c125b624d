import { serve } from '@hono/node-server';
import { createTraceSinkApp } from './app.js';

// No fallback: the launcher gives the port (tools/launcher/src/infra/ports.ts, the one list of local infrastructure ports).
const port = Number(process.env.TRACE_SINK_PORT);
if (!Number.isInteger(port) || port < 1 || port > 65_535)
  throw new Error(`TRACE_SINK_PORT is not set to a TCP port: the launcher starts this sink and sets it`);
serve({ fetch: createTraceSinkApp().fetch, port, hostname: '127.0.0.1' }, () =>
  console.log(JSON.stringify({ msg: 'trace sink listening', port })),
);
process.on('SIGTERM', () => process.exit(0));
