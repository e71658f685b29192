import { createHash } from 'node:crypto';
import {
  type DB,
  type SiteCache,
  type ThreadPageCursor,
  countApprovedByThreadKey,
  findComment,
  findThread,
  listThreadPage,
} from '@stammtisch/db';
import { AppError, detailsFromZod, invalidRequest, isUnavailableError, openApiRouter } from '@stammtisch/http';
import { TAGS } from '@stammtisch/contract/http';
import type { Queue } from 'bullmq';
import type { Context } from 'hono';
import { decodeCursor, encodeCursor, isCursorId, isCursorTime } from '../shared/cursor.js';
import { z } from 'zod';
import { routes } from '../shared/routes.js';
import { type PublicComment, toPublicComment } from './public-comment.js';
import type { ReadCache } from './read-cache.js';

export interface PublicRoutesDeps {
  /** Where public reads and counts go: the read replica when DATABASE_READ_URL is set. */
  db: DB;
  /** The primary, for read-your-own-write (a comment's status right after posting) and when the replica is away. */
  primaryDb?: DB;
  siteCache: SiteCache;
  readCache: ReadCache;
  queue: Queue;
  /** The comment queue shard of a site (QUEUE_SHARDS); default `queue`. */
  queueFor?: (siteId: string) => Queue;
  /** Keys avatar hashes (IP_HASH_SECRET). */
  ipHashSecret: string;
  /** Absolute avatar URLs when set. */
  publicApiUrl?: string;
}

const CURSOR_PROBLEM = 'is not a cursor from nextCursor';

/** Decoded while validating, so a bad cursor is a 400 whether or not the thread exists. */
const Cursor = z
  .string()
  .max(200, CURSOR_PROBLEM)
  .transform((value, ctx) => {
    const decoded = decodeThreadCursor(value);
    if (!decoded) {
      ctx.addIssue({ code: 'custom', message: CURSOR_PROBLEM });
      return z.NEVER;
    }
    return decoded;
  });

export const ThreadCommentsQuery = z.object({
  sort: z.enum(['oldest', 'newest', 'best']).default('oldest'),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: Cursor.optional(),
});

export { toPublicComment } from './public-comment.js';

export const ThreadParams = z.object({
  siteId: z.string(),
  threadKey: z.string().describe('`encodeURIComponent(key)`'),
});

const reads = routes(TAGS.reads);

const threadCommentsRoute = reads.get(
  '/v1/sites/{siteId}/threads/{threadKey}/comments',
  'Approved comments of a thread',
  {
    description:
      '`threadKey` is `encodeURIComponent(key)`. Each top-level comment is followed by its replies. Carries ETag; `If-None-Match` gets 304.',
    params: ThreadParams,
    query: ThreadCommentsQuery,
    answers: {
      200: '`{"thread", "comments", "nextCursor"}`',
      304: 'Not modified',
      400: 'invalid_request naming `limit`, `sort` or `cursor` (a cursor must come from nextCursor)',
      404: 'site_not_found',
    },
  },
);

const countsRoute = reads.get('/v1/sites/{siteId}/counts', 'Approved comment counts for up to 100 threads', {
  description: 'Query: `thread=KEY` repeated, up to 100 times.',
  // Checked by the handler (each key, their number), so one key or many read alike.
  query: z.object({ thread: z.union([z.string(), z.array(z.string())]).optional() }),
  answers: { 200: '`{"counts": {"KEY": 3}}`', 400: 'invalid_request', 404: 'site_not_found' },
});

const commentStatusRoute = reads.get('/v1/sites/{siteId}/comments/{id}', "A comment's status (spam reads as pending)", {
  answers: { 200: '`{"id", "status"}`', 404: 'comment_not_found' },
});

function encodeThreadCursor(cursor: ThreadPageCursor): string {
  return encodeCursor(
    cursor.score === undefined ? [cursor.createdAt, cursor.id] : [cursor.createdAt, cursor.id, cursor.score],
  );
}

/** The cursor we hand out, or undefined for anything else (garbage, SQL-like text, a forged date, id or score). */
function decodeThreadCursor(cursor: string): ThreadPageCursor | undefined {
  const parts = decodeCursor(cursor);
  if (!parts || parts.length < 2 || parts.length > 3) return undefined;
  const [createdAt, id, score] = parts;
  if (!isCursorTime(createdAt) || !isCursorId(id)) return undefined;
  if (score !== undefined && (typeof score !== 'number' || !Number.isFinite(score))) return undefined;
  return { createdAt, id, ...(score !== undefined && { score }) };
}

/**
 * A public read on the replica; if the replica is away, the same read on the
 * primary (a replica outage costs primary load, never an error). A lagging
 * replica answers a little stale, which public reads allow.
 */
async function onReplica<T>(deps: PublicRoutesDeps, read: (db: DB) => Promise<T>): Promise<T> {
  if (!deps.primaryDb || deps.primaryDb === deps.db) return read(deps.db);
  try {
    return await read(deps.db);
  } catch (error) {
    if (!isUnavailableError(error)) throw error;
    return read(deps.primaryDb);
  }
}

function etagOf(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** 304 when the client already has this version, else the body with its validators. */
function respondCached(c: Context, body: string, etag: string, contentType: string) {
  c.header('ETag', etag);
  // Browsers revalidate every time (a 304 is cheap), so an approval reaches every reader at once;
  // a CDN may keep it a second (s-maxage) and absorb a front-page spike, or be purged.
  c.header('Cache-Control', 'public, no-cache, s-maxage=1');
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Access-Control-Expose-Headers', 'ETag');
  c.header('Vary', 'Accept-Encoding');
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) return c.body(null, 304);
  c.header('Content-Type', contentType);
  return c.body(body, 200);
}

export interface ThreadView {
  /** `votes` and `editWindowMinutes` tell the widget which controls to offer. */
  thread: {
    key: string;
    title: string | null;
    url: string | null;
    closed: boolean;
    count: number;
    votes: string;
    editWindowMinutes: number;
  };
  comments: PublicComment[];
  nextCursor: string | null;
}

/** Loads one page of a thread as the public API shows it. */
export async function loadThreadView(
  deps: PublicRoutesDeps,
  siteId: string,
  threadKey: string,
  query: z.infer<typeof ThreadCommentsQuery>,
): Promise<ThreadView> {
  const site = await deps.siteCache.getSite(siteId);
  if (!site) throw new AppError('site_not_found', `no site with id ${siteId}`);
  const thread = await onReplica(deps, (db) => findThread(db, siteId, threadKey));
  const features = { votes: site.settings.votes ?? 'up', editWindowMinutes: site.settings.editWindowMinutes ?? 15 };
  if (!thread) {
    return {
      thread: { key: threadKey, title: null, url: null, closed: false, count: 0, ...features },
      comments: [],
      nextCursor: null,
    };
  }
  const page = await onReplica(deps, (db) =>
    listThreadPage(db, { threadId: thread.id, sort: query.sort, limit: query.limit, after: query.cursor }),
  );
  const count = thread.approvedCount;
  const closeAfterDays = site.settings.closeAfterDays;
  const closed =
    thread.closed ||
    (closeAfterDays !== undefined && Date.now() - thread.createdAt.getTime() >= closeAfterDays * 86_400_000);
  return {
    thread: { key: thread.key, title: thread.title, url: thread.url, closed, count, ...features },
    comments: page.comments.map((row) =>
      toPublicComment(row, { site, secret: deps.ipHashSecret, publicApiUrl: deps.publicApiUrl }),
    ),
    nextCursor: page.next ? encodeThreadCursor(page.next) : null,
  };
}

export function publicRoutes(deps: PublicRoutesDeps) {
  const app = openApiRouter();

  // Declared, not validated up front: the raw query string keys the cache, so a hit
  // (the common case under load) skips query validation and parsing; only a miss validates.
  app.openAPIRegistry.registerPath(threadCommentsRoute);
  app.get('/v1/sites/:siteId/threads/:threadKey/comments', async (c) => {
    const siteId = c.req.param('siteId');
    const threadKey = c.req.param('threadKey');
    const questionMark = c.req.url.indexOf('?');
    const cacheKey = `json\u0000${siteId}\u0000${threadKey}\u0000${questionMark < 0 ? '' : c.req.url.slice(questionMark + 1)}`;
    let cached = deps.readCache.get(cacheKey);
    if (!cached) {
      const query = ThreadCommentsQuery.safeParse(c.req.query());
      if (!query.success) throw invalidRequest(detailsFromZod(query.error));
      const body = JSON.stringify(await loadThreadView(deps, siteId, threadKey, query.data));
      cached = { body, etag: etagOf(body) };
      deps.readCache.set(siteId, threadKey, cacheKey, cached);
    }
    return respondCached(c, cached.body, cached.etag, 'application/json; charset=utf-8');
  });

  app.openapi(countsRoute, async (c) => {
    const siteId = c.req.param('siteId');
    const keys = [...new Set(c.req.queries('thread') ?? [])];
    if (keys.length === 0)
      throw new AppError('invalid_request', 'thread: give at least one thread key', [
        { path: 'thread', message: 'give at least one thread key' },
      ]);
    if (keys.length > 100)
      throw new AppError('invalid_request', 'thread: at most 100 keys per request', [
        { path: 'thread', message: 'at most 100 keys per request' },
      ]);
    if (keys.some((k) => k.length > 512))
      throw new AppError('invalid_request', 'thread: keys are at most 512 characters', [
        { path: 'thread', message: 'keys are at most 512 characters' },
      ]);
    if (!(await deps.siteCache.getSite(siteId))) throw new AppError('site_not_found', `no site with id ${siteId}`);
    const counts = await onReplica(deps, (db) => countApprovedByThreadKey(db, siteId, keys));
    const body = JSON.stringify({ counts });
    return respondCached(c, body, etagOf(body), 'application/json; charset=utf-8');
  });

  app.openapi(commentStatusRoute, async (c) => {
    const { siteId, id } = c.req.param();
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'no-store');
    if (!(await deps.siteCache.getSite(siteId))) throw new AppError('site_not_found', `no site with id ${siteId}`);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      throw new AppError('comment_not_found', 'no such comment');
    // Read-your-own-write: the author asks right after posting, so the primary answers (a replica may not have the row yet).
    const comment = await findComment(deps.primaryDb ?? deps.db, id);
    if (comment && comment.siteId === siteId) {
      // Spam reads as pending, so a spammer learns nothing; a shadow-banned author is told "approved",
      // so their widget keeps showing them their own copy (nobody else sees it: the list has approved only).
      const shadowBanned = comment.status === 'spam' && comment.reasons.some((r) => r.check === 'shadow_ban');
      const status = shadowBanned ? 'approved' : comment.status === 'spam' ? 'pending' : comment.status;
      return c.json({ id, status });
    }
    // Accepted but not written yet: the job is still in the queue.
    const job = await (deps.queueFor?.(siteId) ?? deps.queue).getJob(id);
    if (job && (job.data as { siteId?: string }).siteId === siteId) return c.json({ id, status: 'pending' });
    throw new AppError('comment_not_found', 'no such comment');
  });

  return app;
}
