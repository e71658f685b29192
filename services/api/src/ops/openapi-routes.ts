import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TAGS } from '@stammtisch/contract/http';
import { openApiRouter } from '@stammtisch/http';
import { routes } from '../shared/routes.js';
import { declareIngestRoutes } from './openapi-spec.js';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_VERSION = (require('swagger-ui-dist/package.json') as { version: string }).version;

/** The files of swagger-ui-dist that /docs needs, served from this process (no CDN). */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// No inline code: the page's own settings are a file too, so script-src stays 'self'.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // Never send the document to the public validator service.
  validatorUrl: null,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  persistAuthorization: false,
});
`;

function docsPage(assetBase: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stammtisch API reference</title>
<link rel="icon" type="image/png" href="${assetBase}/favicon-32x32.png">
<link rel="stylesheet" href="${assetBase}/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"></main>
<noscript><p>The interactive reference needs JavaScript. The OpenAPI document itself is at <a href="/openapi.json">/openapi.json</a>.</p></noscript>
<script src="${assetBase}/swagger-ui-bundle.js"></script>
<script src="${assetBase}/init.js"></script>
</body>
</html>
`;
}

const operations = routes(TAGS.operations);

const documentRoute = operations.get('/openapi.json', 'This document', { answers: { 200: 'OpenAPI 3.1' } });
const docsRoute = operations.get('/docs', 'This document as a web page', {
  answers: { 200: 'HTML' },
  produces: ['text/html'],
});
const docsAssetRoute = operations.get(
  '/docs/assets/{version}/{name}',
  "The docs page's files (Swagger UI), cached for a year under their version",
  {
    answers: { 200: 'The file', 304: 'Not modified', 404: 'not_found' },
    produces: ['text/javascript', 'text/css', 'image/png'],
  },
);

/**
 * `GET /openapi.json` and `GET /docs`: the document, generated on the first
 * request from the finished app's route declarations (`document`), and
 * Swagger UI (swagger-ui-dist from npm, served locally) to read and try it.
 */
export function openApiRoutes(options: { ingestUrl?: string; document: () => unknown }) {
  const app = openApiRouter();
  declareIngestRoutes(app, options.ingestUrl);
  let json: string | undefined;
  // Versioned asset URLs: cached for a year, a new swagger-ui-dist gets new URLs.
  const assetBase = `/docs/assets/${SWAGGER_VERSION}`;
  const page = docsPage(assetBase);
  const files = new Map<string, { body: Uint8Array | string; type: string; etag: string }>();
  const ingestOrigin = options.ingestUrl ? new URL(options.ingestUrl).origin : 'http://localhost:8081';
  // Swagger UI sets style attributes from script ('unsafe-inline' for styles only; no user content on this page);
  // "Try it out" calls the api itself and the ingest for the public writes.
  const csp = `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ${ingestOrigin}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

  function asset(name: string) {
    let file = files.get(name);
    if (!file) {
      const body = name === 'init.js' ? INIT_SCRIPT : readFileSync(join(SWAGGER_DIR, name));
      file = {
        body,
        type: ASSETS[name] ?? 'text/javascript; charset=utf-8',
        etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      };
      files.set(name, file);
    }
    return file;
  }

  app.openapi(documentRoute, (c) => {
    json ??= JSON.stringify(options.document(), null, 2);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(json);
  });

  app.openapi(docsRoute, (c) => {
    c.header('Content-Security-Policy', csp);
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(page);
  });

  app.openapi(docsAssetRoute, (c) => {
    const { name, version } = c.req.valid('param');
    if (version !== SWAGGER_VERSION || !(name in ASSETS || name === 'init.js')) return c.notFound();
    const file = asset(name);
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('ETag', file.etag);
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
    return c.body(file.body as never);
  });

  return app;
}
