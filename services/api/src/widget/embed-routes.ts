import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { TAGS } from '@stammtisch/contract/http';
import { chooseEncoding, openApiRouter, weakMatch } from '@stammtisch/http';
import { ensureEmbedScript, ingestUrlPrelude } from '@stammtisch/widget';
import { routes } from '../shared/routes.js';

interface EmbedScript {
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
  etag: string;
}

const embedRoute = routes(TAGS.reads).get('/embed.js', 'The widget script', {
  answers: { 200: 'JavaScript', 304: 'Not modified' },
  produces: ['application/javascript'],
});

/**
 * `GET /embed.js`: the widget, built once (at start when dist/ is missing),
 * compressed once at the highest levels (brotli 11, gzip 9) and served from
 * memory in the encoding the browser accepts, with a validator so browsers
 * revalidate cheaply.
 */
export function embedRoutes(options: { ingestUrl?: string } = {}) {
  const app = openApiRouter();
  let script: Promise<EmbedScript> | undefined;

  async function load(): Promise<EmbedScript> {
    const raw = await readFile(await ensureEmbedScript(), 'utf8');
    // The api knows where ingest is; tell the widget so it needs no guessing.
    const identity = Buffer.from((options.ingestUrl ? ingestUrlPrelude(options.ingestUrl) : '') + raw);
    return {
      identity,
      br: brotliCompressSync(identity, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
      }),
      gzip: gzipSync(identity, { level: 9 }),
      // Weak: the three encodings are the same script, so one validator serves them all.
      etag: `W/"${createHash('sha1').update(identity).digest('base64url')}"`,
    };
  }

  app.openapi(embedRoute, async (c) => {
    script ??= load().catch((error) => {
      script = undefined;
      throw error;
    });
    const loaded = await script;
    c.header('Content-Type', 'application/javascript; charset=utf-8');
    // Short max-age: site owners embed the URL without a version, and a fix must reach readers soon.
    c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Vary', 'Accept-Encoding');
    c.header('ETag', loaded.etag);
    if (weakMatch(c.req.header('if-none-match'), loaded.etag)) return c.body(null, 304);
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    if (encoding) c.header('Content-Encoding', encoding);
    const body = encoding ? loaded[encoding] : loaded.identity;
    c.header('Content-Length', String(body.length));
    return c.body(new Uint8Array(body));
  });

  return app;
}
