import type { DB } from '@stammtisch/db';
import { AppError, openApiRouter } from '@stammtisch/http';
import { TAGS } from '@stammtisch/contract/http';
import { z } from 'zod';
import { type AuthEnv, type Principal, accessibleSite } from '../auth.js';
import { keyRoutes } from '../shared/routes.js';
import {
  ImportError,
  NdjsonComment,
  THREAD_KEY_MODES,
  WXR_COMMENT_TYPES,
  type WxrCommentType,
  exportNdjson,
  exportWxr,
  importComments,
} from './index.js';

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
    .enum(THREAD_KEY_MODES as ['path', 'link', 'guid', 'post_id'], {
      error: `must be one of ${THREAD_KEY_MODES.join(', ')}`,
    })
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
    .describe(
      'WordPress comment types to import, comma-separated: comment, pingback, trackback (default comment). Editorial notes never are.',
    ),
});
export const ExportQuery = z.object({ format: z.enum(['ndjson', 'wxr']).default('ndjson') });

const admin = keyRoutes(TAGS.administration);

const importRoute = admin.post('/v1/admin/sites/{id}/import', 'Import a WordPress WXR, Disqus or NDJSON file', {
  description:
    'The file is the body (up to 1 GiB, streamed), imported in one transaction. Counts every comment in the file, whatever its status. Threads (keyed by the post link: path, plus the query for plain `?p=N` permalinks; see `threadKey`), nesting, authors, dates and approval state are kept; bodies are re-sanitized; importing the same file twice adds nothing. An entry that cannot be imported is skipped and listed in `skippedEntries` with its line, element, source id and reason (`strict=true`: the whole file is refused instead). A file that is not well-formed is a 400 naming the line and element, and nothing of it is kept. Comments of password-protected, private or draft WordPress posts arrive held (pending), never published; WordPress editorial notes are skipped; pingbacks and trackbacks follow `types`. `dryRun=true` answers the same without writing (`"dryRun": true`).',
  query: ImportQuery,
  // Checked by the handler (streamed, never buffered), so declared as plain strings rather than validated.
  unchecked: {
    body: {
      required: true,
      description: 'WXR or Disqus XML, or NDJSON lines of `NdjsonComment`',
      content: Object.fromEntries(
        ['application/xml', 'text/xml', 'application/x-ndjson'].map((type) => [
          type,
          { schema: { type: 'string' as const } },
        ]),
      ),
    },
  },
  answers: {
    200: '`{"imported": n, "skipped": n, "skippedEntries": [{"line", "element", "sourceId", "reason"}]}` (at most 10,000 entries listed; `skippedEntriesNotListed` counts the rest; `"dryRun": true` on a dry run)',
    400: 'invalid_request: a bad option, a file that is not well-formed, or (strict=true) a bad entry, naming the line and element',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
  },
});

const exportRoute = admin.get('/v1/admin/sites/{id}/export', 'Export every comment of a site, every status', {
  description:
    'NDJSON, one comment per line (lines have the shape of the `NdjsonComment` schema, plus id, score, reasons); `?format=wxr` gives WordPress WXR 1.2. Streamed.',
  query: ExportQuery,
  answers: { 200: 'The file', 404: 'site_not_found' },
  produces: ['application/x-ndjson', 'application/xml'],
});

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
      if (total > maxBytes)
        throw new AppError('payload_too_large', `an import file is at most ${maxBytes / 1024 ** 3} GiB`);
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
  const app = openApiRouter<AuthEnv>();
  // The export's lines and the NDJSON import's, named in the descriptions above.
  app.openAPIRegistry.register('NdjsonComment', NdjsonComment);

  // Owners only: an export holds every commenter's email.
  const ownedSite = (principal: Principal, id: string) => accessibleSite(deps.db, principal, id, ['owner']);

  app.openapi(importRoute, async (c) => {
    const site = await ownedSite(c.get('principal'), c.req.valid('param').id);
    const { format, strict, dryRun, threadKey, types } = c.req.valid('query');
    const type = (c.req.header('content-type') ?? '').trim();
    const isXml = XML_TYPES.test(type);
    const isNdjson = NDJSON_TYPES.test(type);
    if (!isXml && !isNdjson)
      throw new AppError(
        'unsupported_media_type',
        'Content-Type must be application/xml or text/xml (wxr, disqus), or application/x-ndjson (ndjson)',
      );
    if (format === 'ndjson' ? !isNdjson : format !== undefined && !isXml) {
      throw new AppError(
        'unsupported_media_type',
        format === 'ndjson'
          ? 'format=ndjson needs Content-Type application/x-ndjson'
          : `format=${format} needs Content-Type application/xml or text/xml`,
      );
    }
    const length = Number(c.req.header('content-length') ?? '0');
    if (length > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'an import file is at most 1 GiB');
    const body = c.req.raw.body;
    if (!body)
      throw new AppError('invalid_request', 'body: the file is empty', [
        { path: 'body', message: 'the file is empty' },
      ]);
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

  app.openapi(exportRoute, async (c) => {
    const site = await ownedSite(c.get('principal'), c.req.valid('param').id);
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
