import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Hono } from 'hono';
import type { Logger } from '@burger/service-kit';

const WEB = join(import.meta.dirname, '..', '..', '..', 'web');
/** Everything the page loads comes from here; no inline script, no framing. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * The browser app under /app: its TypeScript (web/, strict, type-checked by npm test)
 * is bundled once at start-up with esbuild, so there is no build step to forget.
 */
export function mountWebApp(app: Hono, logger: Logger): void {
  const script = build({
    entryPoints: [join(WEB, 'app.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  script.catch((error: unknown) => logger.error({ err: error }, 'web app bundle failed'));
  const page = readFileSync(join(WEB, 'index.html'), 'utf8');
  const styles = readFileSync(join(WEB, 'styles.css'), 'utf8');

  app.get('/', (c) => c.redirect('/app/'));
  app.get('/app', (c) => c.redirect('/app/'));
  app.get('/app/app.js', async (c) => c.body(await script, 200, { ...PAGE_HEADERS, 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/app/styles.css', (c) => c.body(styles, 200, { ...PAGE_HEADERS, 'content-type': 'text/css; charset=utf-8' }));
  // Every other /app path is the same page (the app routes by hash; /app/callback finishes sign-in).
  app.get('/app/*', (c) => c.body(page, 200, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' }));
}
