import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

export type Encoding = 'br' | 'gzip';

/** The best encoding the client accepts (`br` over `gzip` at equal q), or null for none. */
export function chooseEncoding(
  acceptEncoding: string | undefined,
  offered: readonly Encoding[] = ['br', 'gzip'],
): Encoding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name.trim(), qParam ? Number(qParam.slice(2)) || 0 : 1);
  }
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const encoding of offered) {
    const value = q.get(encoding) ?? q.get('*') ?? 0;
    if (value > bestQ) {
      best = encoding;
      bestQ = value;
    }
  }
  return best;
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
// Brotli 4 and gzip 6: most of the size win for a small fraction of the CPU of the maximum levels (those are for files built once).
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
const GZIP_OPTIONS = { level: 6 };
/** Bodies up to this size are compressed inline (well under a millisecond); larger ones off the event loop. */
const SYNC_LIMIT = 128 * 1024;

async function encode(body: Uint8Array, encoding: Encoding): Promise<Uint8Array> {
  if (body.byteLength <= SYNC_LIMIT)
    return encoding === 'br' ? brotliCompressSync(body, BROTLI_OPTIONS) : gzipSync(body, GZIP_OPTIONS);
  return encoding === 'br' ? brotliAsync(body, BROTLI_OPTIONS) : gzipAsync(body, GZIP_OPTIONS);
}

/**
 * Compresses text answers (JSON, HTML, CSS, scripts, feeds; never event
 * streams) over `threshold` bytes with brotli or gzip, as the client
 * accepts. Answers that carry an ETag are compressed once per URL, ETag and
 * encoding and kept (a bounded cache), so the hot cached reads pay for the
 * compression only when they change (a hit never reads the answer's body). A strong ETag becomes weak (the bytes
 * differ from the identity answer); `If-None-Match` is compared weakly, so
 * a revalidation with either form of the tag gets its 304.
 */
export function compression(options: { threshold?: number; cacheEntries?: number } = {}): MiddlewareHandler {
  const threshold = options.threshold ?? 1024;
  const cacheEntries = options.cacheEntries ?? 1000;
  const cache = new Map<string, Uint8Array>();

  return async function compressAnswer(c, next) {
    await next();
    const res = c.res;
    const etag = res.headers.get('ETag');
    if (etag && res.status === 200 && c.req.method === 'GET' && weakMatch(c.req.header('if-none-match'), etag)) {
      c.res = new Response(null, { status: 304, headers: res.headers });
      c.res.headers.delete('Content-Type');
      c.res.headers.delete('Content-Length');
      return;
    }
    const type = res.headers.get('Content-Type');
    // Headers and status only until the body is needed: reading `res.body` takes
    // @hono/node-server off its fast path for string bodies, even when nothing is compressed.
    if (
      res.status !== 200 ||
      c.req.method === 'HEAD' ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      res.headers.has('Content-Encoding') ||
      /no-transform/i.test(res.headers.get('Cache-Control') ?? '')
    )
      return;
    const vary = res.headers.get('Vary');
    if (!vary || !/accept-encoding/i.test(vary))
      res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    const length = Number(res.headers.get('Content-Length') ?? Number.NaN);
    if (!encoding || length < threshold) return;

    const key = etag ? `${encoding} ${c.req.url} ${etag}` : null;
    let compressed = key ? cache.get(key) : undefined;
    if (!compressed) {
      const body = new Uint8Array(await res.arrayBuffer());
      if (body.byteLength < threshold) {
        c.res = new Response(body, res);
        return;
      }
      compressed = await encode(body, encoding);
      if (key) {
        if (cache.size >= cacheEntries) cache.delete(cache.keys().next().value as string);
        cache.set(key, compressed);
      }
    }
    const headers = new Headers(res.headers);
    headers.set('Content-Encoding', encoding);
    headers.set('Content-Length', String(compressed.byteLength));
    if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
    c.res = new Response(compressed as BodyInit, { status: res.status, headers });
  };
}

/** RFC 9110 weak comparison: a tag matches with or without its `W/` prefix; `*` matches anything. */
export function weakMatch(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}
