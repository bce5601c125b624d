import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { mountDocs } from '../src/adapters/http/docs.js';

describe('the API docs are served by the gateway itself', () => {
  const app = new Hono();
  mountDocs(app, new OpenAPIHono(), 'http://127.0.0.1:8080');

  it('loads Swagger UI from swagger-ui-dist through the gateway: nothing from another origin, no inline script', async () => {
    const page = await app.request('/docs');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    const html = await page.text();
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    for (const url of loaded) expect(url.startsWith('/docs/'), url).toBe(true);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // every script has a src
    for (const url of loaded) {
      const asset = await app.request(url);
      expect(asset.status, url).toBe(200);
      expect((await asset.text()).length, url).toBeGreaterThan(10);
    }
    expect(await (await app.request('/docs/swagger-ui-bundle.js')).text()).toContain('SwaggerUIBundle');
    expect(await (await app.request('/docs/init.js')).text()).toContain("url: '/openapi.json'");
  });
});
