import { eventCatalogue } from '@burger/contracts';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { GatewayEnv } from './authenticate.js';

type Catalogue = {
  channels: Record<string, { description: string; messages: Record<string, unknown> }>;
  components: {
    messages: Record<
      string,
      { payload: { properties: Record<string, { type?: string; format?: string; const?: unknown }>; required?: string[] } }
    >;
  };
};

/** The API and event documentation, generated from the zod schemas: OpenAPI + Swagger UI, AsyncAPI + a readable page. */
export function mountDocs(app: Hono, api: OpenAPIHono<GatewayEnv>, publicOrigin: string): void {
  app.get('/openapi.json', (c) =>
    c.json(
      api.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'Burger ordering API', version: '1.0.0' },
        servers: [{ url: `${publicOrigin}/api` }],
      }),
    ),
  );
  mountSwaggerUi(app);
  const catalogue = eventCatalogue();
  app.get('/asyncapi.json', (c) => c.json(catalogue));
  app.get('/events', (c) => c.html(cataloguePage(catalogue as Catalogue)));
}

/** Swagger UI from the npm package (swagger-ui-dist, pinned in package-lock.json), not a CDN: what runs is what we installed. */
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** Scripts and styles from the gateway only; Swagger UI sets inline style attributes, hence the one relaxation. */
const DOCS_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
/** No inline script (the CSP forbids it): the start-up call is a file too; no online validator badge. */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null, presets: [SwaggerUIBundle.presets.apis] });`;
const DOCS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Burger ordering API · Swagger UI</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

function mountSwaggerUi(app: Hono): void {
  const asset = (name: string) => readFileSync(join(SWAGGER_UI, name), 'utf8');
  const files: Record<string, { body: string; type: string }> = {
    '/docs/swagger-ui.css': { body: asset('swagger-ui.css'), type: 'text/css; charset=utf-8' },
    '/docs/swagger-ui-bundle.js': { body: asset('swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
    '/docs/init.js': { body: INIT_SCRIPT, type: 'text/javascript; charset=utf-8' },
  };
  app.get('/docs', (c) =>
    c.body(DOCS_PAGE, 200, { ...DOCS_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  for (const [path, file] of Object.entries(files)) {
    app.get(path, (c) => c.body(file.body, 200, { ...DOCS_HEADERS, 'content-type': file.type, 'cache-control': 'public, max-age=3600' }));
  }
}

function cataloguePage(doc: Catalogue) {
  const field = (name: string, schema: { type?: string; format?: string; const?: unknown }, required: boolean) =>
    html`<li><code>${name}</code> ${schema.const !== undefined ? html`= <code>${String(schema.const)}</code>` : (schema.format ?? schema.type ?? 'object')}${required ? '' : ' (optional)'}</li>`;
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
