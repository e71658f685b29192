import type { CommentStatus, DB } from '@stammtisch/db';
import { AppError, hashIp, jsonBody, validate } from '@stammtisch/http';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { type AuthEnv, type Principal, assertSiteAccess } from '../auth.js';
import { type DecisionResult, decideComment } from '../moderation/decide.js';

export interface ModerationRoutesDeps {
  db: DB;
  ipHashSecret: string;
  /** After decisions: drop read caches, reload the site's model, fire webhooks. */
  onDecided: (results: DecisionResult[]) => Promise<void>;
}

const QueueQuery = z.object({
  site: z.string().max(100).optional(),
  status: z.enum(['pending', 'spam', 'reported', 'rejected', 'approved']).default('pending'),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: z.string().max(200).optional(),
  q: z.string().trim().max(200).optional(),
  thread: z.string().max(512).optional(),
  sort: z.enum(['newest', 'oldest']).default('newest'),
});

const DecisionRequest = z.object({ action: z.enum(['approve', 'reject', 'spam']), note: z.string().trim().max(1000).nullish() }).strict();
const BulkDecisionRequest = z
  .object({ ids: z.array(z.string().uuid('must be a comment id')).min(1, 'give at least one id').max(500, 'at most 500 ids'), action: z.enum(['approve', 'reject', 'spam']), note: z.string().trim().max(1000).nullish() })
  .strict();
const BanRequest = z
  .object({ site: z.string().min(1).max(100), kind: z.enum(['email', 'ip', 'word']), value: z.string().trim().min(1).max(320), shadow: z.boolean().default(false) })
  .strict();

/** The site a listing is for: the key's own, or any the admin names. */
function siteScope(principal: Principal, site: string | undefined): string | null {
  if (principal.role === 'admin') return site ?? null;
  if (site && site !== principal.siteId) throw new AppError('site_not_found', `no site with id ${site}`);
  return principal.siteId;
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (Number.isNaN(Date.parse(value[0]))) throw new Error();
    return value;
  } catch {
    throw new AppError('invalid_request', 'cursor: is not a cursor from nextCursor', [{ path: 'cursor', message: 'is not a cursor from nextCursor' }]);
  }
}

export function moderationRoutes(deps: ModerationRoutesDeps) {
  const app = new Hono<AuthEnv>();

  app.get('/v1/moderation/queue', validate('query', QueueQuery), async (c) => {
    const principal = c.get('principal');
    const query = c.req.valid('query');
    const siteId = siteScope(principal, query.site);
    const newest = query.sort === 'newest';
    let q = deps.db
      .selectFrom('comments')
      .innerJoin('threads', 'threads.id', 'comments.threadId')
      .select([
        'comments.id',
        'comments.siteId',
        'comments.parentId',
        'comments.authorName',
        'comments.authorEmail',
        'comments.authorUrl',
        'comments.authorIdentity',
        'comments.body',
        'comments.html',
        'comments.status',
        'comments.score',
        'comments.reasons',
        'comments.reportCount',
        'comments.createdAt',
        'threads.key as threadKey',
        'threads.title as threadTitle',
        'threads.url as threadUrl',
      ])
      .orderBy('comments.createdAt', newest ? 'desc' : 'asc')
      .orderBy('comments.id', newest ? 'desc' : 'asc')
      .limit(query.limit + 1);
    if (siteId) q = q.where('comments.siteId', '=', siteId);
    q = query.status === 'reported' ? q.where('comments.reportCount', '>', 0).where('comments.status', '=', 'approved') : q.where('comments.status', '=', query.status as CommentStatus);
    if (query.thread) q = q.where('threads.key', '=', query.thread);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) => eb.or([eb('comments.body', 'ilike', pattern), eb('comments.authorName', 'ilike', pattern), eb('comments.authorEmail', 'ilike', pattern)]));
    }
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      q = q.where(sql<boolean>`(comments.created_at, comments.id) ${sql.raw(newest ? '<' : '>')} (${createdAt}::timestamptz, ${id}::uuid)`);
    }
    const rows = await q.execute();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return c.json({
      items: page.map((row) => ({
        id: row.id,
        site: row.siteId,
        thread: { key: row.threadKey, title: row.threadTitle, url: row.threadUrl },
        parentId: row.parentId,
        author: { name: row.authorName, email: row.authorEmail, url: row.authorUrl, verified: Boolean(row.authorIdentity), provider: row.authorIdentity?.provider ?? null },
        body: row.body,
        html: row.html,
        status: row.status,
        score: row.score,
        reasons: row.reasons,
        reports: row.reportCount,
        createdAt: row.createdAt.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    });
  });

  app.post('/v1/moderation/comments/:id/decision', jsonBody(), validate('json', DecisionRequest), async (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('comment_not_found', 'no such comment');
    const input = c.req.valid('json');
    const principal = c.get('principal');
    if (principal.role !== 'admin' && principal.role !== 'owner' && principal.role !== 'moderator') throw new AppError('forbidden', 'not a moderator');
    const result = await decideComment(deps.db, { principal, commentId: id, action: input.action, note: input.note });
    if (!result) throw new AppError('comment_not_found', 'no such comment');
    await deps.onDecided([result]);
    return c.json({ id: result.id, status: result.to, previousStatus: result.from, eventId: result.eventId });
  });

  app.post('/v1/moderation/decisions', jsonBody(), validate('json', BulkDecisionRequest), async (c) => {
    const input = c.req.valid('json');
    const principal = c.get('principal');
    const results: DecisionResult[] = [];
    for (const id of new Set(input.ids)) {
      const result = await decideComment(deps.db, { principal, commentId: id, action: input.action, note: input.note });
      if (result) results.push(result);
    }
    await deps.onDecided(results);
    return c.json({ updated: results.length, ids: results.map((r) => r.id) });
  });

  app.get('/v1/moderation/audit', validate('query', z.object({ site: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(500).default(100), comment: z.string().uuid().optional() })), async (c) => {
    const principal = c.get('principal');
    const query = c.req.valid('query');
    const siteId = siteScope(principal, query.site);
    let q = deps.db.selectFrom('moderationEvents').selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(query.limit);
    if (siteId) q = q.where('siteId', '=', siteId);
    if (query.comment) q = q.where('commentId', '=', query.comment);
    const events = await q.execute();
    return c.json({
      events: events.map((e) => ({
        id: String(e.id),
        site: e.siteId,
        commentId: e.commentId,
        actor: e.actorKeyId,
        action: e.action,
        from: e.fromStatus,
        to: e.toStatus,
        note: e.note,
        undoOf: e.undoOf ? String(e.undoOf) : null,
        at: e.createdAt.toISOString(),
      })),
    });
  });

  app.get('/v1/moderation/bans', validate('query', z.object({ site: z.string().max(100).optional() })), async (c) => {
    const siteId = siteScope(c.get('principal'), c.req.valid('query').site);
    let q = deps.db.selectFrom('bans').selectAll().orderBy('createdAt', 'desc');
    if (siteId) q = q.where('siteId', '=', siteId);
    const bans = await q.execute();
    return c.json({ bans: bans.map((b) => ({ id: b.id, site: b.siteId, kind: b.kind, value: b.value, shadow: b.shadow, createdAt: b.createdAt.toISOString() })) });
  });

  app.post('/v1/moderation/bans', jsonBody(), validate('json', BanRequest), async (c) => {
    const input = c.req.valid('json');
    const principal = c.get('principal');
    assertSiteAccess(principal, input.site, ['owner', 'moderator']);
    // IPs are never stored in clear: an IP ban keeps the same keyed hash ingest computes.
    const value = input.kind === 'ip' ? hashIp(input.value, deps.ipHashSecret) : input.kind === 'email' ? input.value.toLowerCase() : input.value;
    const ban = await deps.db
      .insertInto('bans')
      .values({ siteId: input.site, kind: input.kind, value, shadow: input.shadow, createdBy: principal.keyId })
      .onConflict((oc) => oc.columns(['siteId', 'kind', 'value']).doUpdateSet({ shadow: input.shadow }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return c.json({ id: ban.id, site: ban.siteId, kind: ban.kind, value: input.kind === 'ip' ? '(hashed)' : ban.value, shadow: ban.shadow }, 201);
  });

  app.delete('/v1/moderation/bans/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not_found', 'no such ban');
    const ban = await deps.db.selectFrom('bans').selectAll().where('id', '=', id).executeTakeFirst();
    const principal = c.get('principal');
    if (!ban || (principal.role !== 'admin' && ban.siteId !== principal.siteId)) throw new AppError('not_found', 'no such ban');
    await deps.db.deleteFrom('bans').where('id', '=', id).execute();
    return c.body(null, 204);
  });

  return app;
}
