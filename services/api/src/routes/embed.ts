import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ensureEmbedScript, ingestUrlPrelude } from '@stammtisch/widget';
import { Hono } from 'hono';

/**
 * `GET /embed.js`: the widget, built once (at start when dist/ is missing)
 * and served from memory with a validator, so browsers revalidate cheaply.
 */
export function embedRoutes(options: { ingestUrl?: string } = {}) {
  const app = new Hono();
  let script: Promise<{ body: string; etag: string }> | undefined;

  async function load() {
    const raw = await readFile(await ensureEmbedScript(), 'utf8');
    // The api knows where ingest is; tell the widget so it needs no guessing.
    const body = (options.ingestUrl ? ingestUrlPrelude(options.ingestUrl) : '') + raw;
    return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
  }

  app.get('/embed.js', async (c) => {
    script ??= load().catch((error) => {
      script = undefined;
      throw error;
    });
    const { body, etag } = await script;
    c.header('Content-Type', 'application/javascript; charset=utf-8');
    // Short max-age: site owners embed the URL without a version, and a fix must reach readers soon.
    c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('ETag', etag);
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    return c.body(body);
  });

  return app;
}
