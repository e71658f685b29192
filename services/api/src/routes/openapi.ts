import { Hono } from 'hono';
import { buildOpenApiDocument, type OpenApiOptions } from '../openapi/document.js';
import { renderDocsPage } from '../openapi/docs-page.js';

/** `GET /openapi.json` and `GET /docs`, built once from the routes' own schemas. */
export function openApiRoutes(options: OpenApiOptions = {}) {
  const app = new Hono();
  const document = buildOpenApiDocument(options);
  const json = JSON.stringify(document, null, 2);
  const page = renderDocsPage(document);

  app.get('/openapi.json', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=300');
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(json);
  });

  app.get('/docs', (c) => {
    // The page has no script at all; inline styles only.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(page);
  });

  return app;
}
