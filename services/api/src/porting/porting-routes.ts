import { type DB, findSite } from '@stammtisch/db';
import { AppError, validate } from '@stammtisch/http';
import { Hono } from 'hono';
import { z } from 'zod';
import { type AuthEnv, assertSiteAccess } from '../auth.js';
import { ImportError, THREAD_KEY_MODES, WXR_COMMENT_TYPES, type WxrCommentType, exportNdjson, exportWxr, importComments } from './index.js';

/** Imports are files, not requests: far above the 64 KiB of JSON bodies, and streamed, never buffered. */
export const MAX_IMPORT_BYTES = 1024 ** 3;

const flag = (description: string) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) => value === 'true')
    .describe(description);

export const ImportQuery = z.object({
  format: z.enum(['wxr', 'disqus', 'ndjson']).optional(),
  strict: flag('true: any bad entry refuses the whole file (400, nothing kept) instead of being skipped and listed'),
  dryRun: flag('true: reports what would be imported and skipped; nothing is written'),
  threadKey: z
    .enum(THREAD_KEY_MODES as ['path', 'link', 'guid', 'post_id'], { error: `must be one of ${THREAD_KEY_MODES.join(', ')}` })
    .optional()
    .describe(
      "How a WordPress post (Disqus thread) becomes a thread key: link = the link's path and query without tracking parameters (`/2012/03/post/`, `/?p=12`); path = the path only; guid = the <guid> as written; post_id = the <wp:post_id>. Unset: link, or the exact key of a Stammtisch WXR export.",
    ),
  types: z
    .string()
    .max(100)
    .optional()
    .transform((value, ctx) => {
      const list = (value ?? 'comment')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const unknown = list.filter((t) => !WXR_COMMENT_TYPES.includes(t as WxrCommentType));
      if (unknown.length > 0 || list.length === 0) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${WXR_COMMENT_TYPES.join(', ')}` });
        return z.NEVER;
      }
      return [...new Set(list)] as WxrCommentType[];
    })
    .describe('WordPress comment types to import, comma-separated: comment, pingback, trackback (default comment). Editorial notes never are.'),
});
export const ExportQuery = z.object({ format: z.enum(['ndjson', 'wxr']).default('ndjson') });

const XML_TYPES = /^(application|text)\/([\w.+-]+\+)?xml\b/i;
const NDJSON_TYPES = /^application\/(x-)?(ndjson|jsonl|jsonlines|x-jsonlines)\b/i;

export interface PortingRoutesDeps {
  db: DB;
  /** Tells every process the site's comments changed (read caches drop it). */
  onSiteChanged: (siteId: string) => Promise<void>;
  /** Where the WXR export says the blog lives when a thread has no URL of its own. */
  publicApiUrl?: string;
}

/** The request body as text chunks, counting bytes so a body over the limit stops at the limit. */
async function* bodyChunks(body: ReadableStream<Uint8Array>, maxBytes: number): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new AppError('payload_too_large', `an import file is at most ${maxBytes / 1024 ** 3} GiB`);
      const text = decoder.decode(value, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    reader.releaseLock();
  }
}

function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** `/v1/admin/sites/{id}/import` and `…/export`. Mounted behind `requireKey`. */
export function portingRoutes(deps: PortingRoutesDeps) {
  const app = new Hono<AuthEnv>();

  async function ownedSite(principal: AuthEnv['Variables']['principal'], id: string) {
    // Owners only: an export holds every commenter's email.
    assertSiteAccess(principal, id, ['owner']);
    const site = await findSite(deps.db, id);
    if (!site) throw new AppError('site_not_found', `no site with id ${id}`);
    return site;
  }

  app.post('/v1/admin/sites/:id/import', validate('query', ImportQuery), async (c) => {
    const site = await ownedSite(c.get('principal'), c.req.param('id'));
    const { format, strict, dryRun, threadKey, types } = c.req.valid('query');
    const type = (c.req.header('content-type') ?? '').trim();
    const isXml = XML_TYPES.test(type);
    const isNdjson = NDJSON_TYPES.test(type);
    if (!isXml && !isNdjson)
      throw new AppError('unsupported_media_type', 'Content-Type must be application/xml or text/xml (wxr, disqus), or application/x-ndjson (ndjson)');
    if (format === 'ndjson' ? !isNdjson : format !== undefined && !isXml) {
      throw new AppError(
        'unsupported_media_type',
        format === 'ndjson' ? 'format=ndjson needs Content-Type application/x-ndjson' : `format=${format} needs Content-Type application/xml or text/xml`,
      );
    }
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'an import file is at most 1 GiB');
    const body = c.req.raw.body;
    if (!body) throw new AppError('invalid_request', 'body: the file is empty', [{ path: 'body', message: 'the file is empty' }]);
    try {
      const counts = await importComments(deps.db, {
        siteId: site.id,
        format: format ?? (isNdjson ? 'ndjson' : 'xml'),
        chunks: bodyChunks(body, MAX_IMPORT_BYTES),
        strict,
        dryRun,
        threadKey,
        types,
      });
      if (counts.imported > 0 && !counts.dryRun) await deps.onSiteChanged(site.id);
      return c.json(counts);
    } catch (error) {
      if (error instanceof ImportError) {
        const where = error.line !== undefined ? `line ${error.line}` : 'body';
        throw new AppError('invalid_request', `the file cannot be imported, nothing was: ${error.describe()}`, [
          { path: error.element ? `${where}: <${error.element}>` : where, message: error.message },
        ]);
      }
      throw error;
    }
  });

  app.get('/v1/admin/sites/:id/export', validate('query', ExportQuery), async (c) => {
    const site = await ownedSite(c.get('principal'), c.req.param('id'));
    const { format } = c.req.valid('query');
    const date = new Date().toISOString().slice(0, 10);
    c.header('Cache-Control', 'no-store');
    if (format === 'wxr') {
      const origin = site.origins.find((o) => o !== '*') ?? deps.publicApiUrl ?? 'http://localhost';
      c.header('Content-Type', 'application/xml; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${site.id}-comments-${date}.xml"`);
      return c.body(streamOf(exportWxr(deps.db, site, origin)));
    }
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${site.id}-comments-${date}.ndjson"`);
    return c.body(streamOf(exportNdjson(deps.db, site.id)));
  });

  return app;
}
