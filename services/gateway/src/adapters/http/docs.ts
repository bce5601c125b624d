import { eventCatalogue } from '@burger/contracts';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { GatewayEnv } from './authenticate.js';

type Catalogue = {
  channels: Record<string, { description: string; messages: Record<string, unknown> }>;
  components: { messages: Record<string, { payload: { properties: Record<string, { type?: string; format?: string; const?: unknown }>; required?: string[] } }> };
};

/** The API and event documentation, generated from the zod schemas: OpenAPI + Swagger UI, AsyncAPI + a readable page. */
export function mountDocs(app: Hono, api: OpenAPIHono<GatewayEnv>, publicOrigin: string): void {
  app.get('/openapi.json', (c) =>
    c.json(api.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Burger ordering API', version: '1.0.0' }, servers: [{ url: `${publicOrigin}/api` }] })),
  );
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));
  const catalogue = eventCatalogue();
  app.get('/asyncapi.json', (c) => c.json(catalogue));
  app.get('/events', (c) => c.html(cataloguePage(catalogue as Catalogue)));
}

function cataloguePage(doc: Catalogue) {
  const field = (name: string, schema: { type?: string; format?: string; const?: unknown }, required: boolean) =>
    html`<li><code>${name}</code> ${schema.const !== undefined ? html`= <code>${String(schema.const)}</code>` : schema.format ?? schema.type ?? 'object'}${required ? '' : ' (optional)'}</li>`;
  const channels = Object.entries(doc.channels).map(
    ([topic, channel]) => html`<section><h2><code>${topic}</code></h2><p>${channel.description}</p>
      ${Object.keys(channel.messages).map((type) => {
        const payload = doc.components.messages[type]!.payload;
        return html`<h3>${type}</h3><ul>${Object.entries(payload.properties).map(([name, schema]) => field(name, schema, payload.required?.includes(name) ?? false))}</ul>`;
      })}</section>`,
  );
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Event catalogue · Burger</title><style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}h3{margin-bottom:.2rem}</style></head>
<body><h1>Event catalogue</h1><p>Generated from <code>packages/contracts</code> (the zod schemas every publisher and consumer validates with).
Machine-readable: <a href="/asyncapi.json">AsyncAPI 3.0</a>.</p>${channels}</body></html>`;
}
