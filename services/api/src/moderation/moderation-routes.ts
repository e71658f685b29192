import {
  type CommentStatus,
  type DB,
  deleteBan,
  findBan,
  findCommentSite,
  listBans,
  listModerationEvents,
  listModerationQueue,
  setThreadClosed,
  upsertBan,
} from '@stammtisch/db';
import { AppError, hashIp, openApiRouter } from '@stammtisch/http';
import { decodeCursor, encodeCursor, isCursorId, isCursorTime } from '../shared/cursor.js';
import { type AuthEnv, type Principal, assertSiteAccess } from '../auth.js';
import { type DecisionResult, decideComment } from './decide.js';
import type { RecordDecisions } from './metrics.js';
import { toQueueItems } from './queue-item.js';
import {
  auditRoute,
  bulkDecisionRoute,
  createBanRoute,
  decisionRoute,
  deleteBanRoute,
  listBansRoute,
  queueRoute,
  threadCloseRoute,
  undoLatestRoute,
  undoRoute,
} from './moderation-api.js';
import { latestDecisionOf, undoDecisions } from './undo.js';

export interface ModerationRoutesDeps {
  db: DB;
  ipHashSecret: string;
  /** After decisions: drop read caches, reload the site's model, fire webhooks. */
  onDecided: (results: DecisionResult[]) => Promise<void>;
  /** A thread was closed or opened: drop it from every cache (ingest checks it). */
  onThreadChanged?: (siteId: string, threadKey: string) => Promise<void>;
  recordDecisions?: RecordDecisions;
  /** Bans changed: the workers must reload the site's bans. */
  onBansChanged?: (siteId: string) => Promise<void>;
}

const MODERATOR_ROLES = ['admin', 'owner', 'moderator'];

/** The site a listing is for: the key's own, or any the admin names. */
export function siteScope(principal: Principal, site: string | undefined): string | null {
  if (principal.role === 'admin') return site ?? null;
  if (site && site !== principal.siteId) throw new AppError('site_not_found', `no site with id ${site}`);
  return principal.siteId;
}

function encodeQueueCursor(createdAt: Date, id: string, priority?: [number, number]): string {
  return encodeCursor([createdAt.toISOString(), id, ...(priority ?? [])]);
}

function decodeQueueCursor(cursor: string, priority: boolean): [string, string, number, number] {
  const value = decodeCursor(cursor);
  // Exactly what encodeQueueCursor writes: Postgres never sees a value it could refuse (that would be a 500, not a 400).
  if (
    !value ||
    !isCursorTime(value[0]) ||
    !isCursorId(value[1]) ||
    (priority && !(Number.isInteger(value[2]) && Number.isFinite(value[3])))
  ) {
    throw new AppError('invalid_request', 'cursor: is not a cursor from nextCursor', [
      { path: 'cursor', message: 'is not a cursor from nextCursor' },
    ]);
  }
  return value as [string, string, number, number];
}

export function moderationRoutes(deps: ModerationRoutesDeps) {
  const app = openApiRouter<AuthEnv>();

  app.openapi(queueRoute, async (c) => {
    const principal = c.get('principal');
    const query = c.req.valid('query');
    const siteId = siteScope(principal, query.site);
    const priority = query.sort === 'priority';
    const after = query.cursor ? decodeQueueCursor(query.cursor, priority) : undefined;
    const rows = await listModerationQueue(deps.db, {
      siteId,
      status: query.status as CommentStatus | 'reported',
      thread: query.thread,
      reason: query.reason,
      q: query.q,
      sort: query.sort,
      limit: query.limit + 1,
      after: after && { createdAt: after[0], id: after[1], reports: after[2], certainty: after[3] },
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return c.json({
      items: await toQueueItems(deps.db, page),
      nextCursor:
        rows.length > query.limit && last
          ? encodeQueueCursor(
              last.createdAt,
              last.id,
              priority ? [last.reportCount, Number(last.certainty)] : undefined,
            )
          : null,
    });
  });

  app.openapi(decisionRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('comment_not_found', 'no such comment');
    const input = c.req.valid('json');
    const principal = c.get('principal');
    if (!MODERATOR_ROLES.includes(principal.role)) throw new AppError('forbidden', 'not a moderator');
    const result = await decideComment(deps.db, { principal, commentId: id, action: input.action, note: input.note });
    if (!result) throw new AppError('comment_not_found', 'no such comment');
    deps.recordDecisions?.([result]);
    await deps.onDecided([result]);
    return c.json({ id: result.id, status: result.to, previousStatus: result.from, eventId: result.eventId });
  });

  app.openapi(bulkDecisionRoute, async (c) => {
    const input = c.req.valid('json');
    const principal = c.get('principal');
    if (!MODERATOR_ROLES.includes(principal.role)) throw new AppError('forbidden', 'not a moderator');
    const results: DecisionResult[] = [];
    // Ids of other sites are skipped like missing ones: the count is all the caller learns.
    for (const id of new Set(input.ids)) {
      const result = await decideComment(deps.db, { principal, commentId: id, action: input.action, note: input.note });
      if (result) results.push(result);
    }
    deps.recordDecisions?.(results);
    await deps.onDecided(results);
    return c.json({ updated: results.length, ids: results.map((r) => r.id), eventIds: results.map((r) => r.eventId) });
  });

  async function undo(principal: Principal, eventIds: string[]) {
    const results = await undoDecisions(deps.db, principal, eventIds);
    deps.recordDecisions?.(results);
    await deps.onDecided(results);
    return { undone: results.length, comments: results.map((r) => ({ id: r.id, status: r.to, eventId: r.eventId })) };
  }

  // Undo by event (what a decision answered with), for one or a bulk decision.
  app.openapi(undoRoute, async (c) => {
    const input = c.req.valid('json');
    return c.json(await undo(c.get('principal'), input.eventIds ?? [input.eventId!]));
  });

  // Undo the latest decision on one comment.
  app.openapi(undoLatestRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('comment_not_found', 'no such comment');
    const commentSite = await findCommentSite(deps.db, id);
    if (!commentSite || (principal.role !== 'admin' && commentSite !== principal.siteId))
      throw new AppError('comment_not_found', 'no such comment');
    const eventId = await latestDecisionOf(deps.db, id);
    if (!eventId) throw new AppError('conflict', 'this comment has no decision to undo');
    const result = await undo(principal, [eventId]);
    const restored = result.comments[0]!;
    return c.json({ id, status: restored.status, eventId: restored.eventId, undoOf: eventId });
  });

  app.openapi(threadCloseRoute, async (c) => {
    const input = c.req.valid('json');
    assertSiteAccess(c.get('principal'), input.site, ['owner', 'moderator']);
    const thread = await setThreadClosed(deps.db, input.site, input.key, input.closed);
    if (!thread) throw new AppError('not_found', 'no thread with this key on this site');
    await deps.onThreadChanged?.(input.site, input.key);
    return c.json({ site: input.site, key: thread.key, closed: thread.closed });
  });

  app.openapi(auditRoute, async (c) => {
    const principal = c.get('principal');
    const query = c.req.valid('query');
    const siteId = siteScope(principal, query.site);
    const events = await listModerationEvents(deps.db, { siteId, commentId: query.comment, limit: query.limit });
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

  app.openapi(listBansRoute, async (c) => {
    const siteId = siteScope(c.get('principal'), c.req.valid('query').site);
    // Dates go out as ISO 8601 strings (Date.toJSON).
    return c.json({ bans: await listBans(deps.db, siteId) });
  });

  app.openapi(createBanRoute, async (c) => {
    const input = c.req.valid('json');
    const principal = c.get('principal');
    assertSiteAccess(principal, input.site, ['owner', 'moderator']);
    // IPs are never stored in clear: an IP ban keeps the same keyed hash ingest computes.
    const value =
      input.kind === 'ip'
        ? hashIp(input.value, deps.ipHashSecret)
        : input.kind === 'email'
          ? input.value.toLowerCase()
          : input.value;
    const ban = await upsertBan(deps.db, {
      siteId: input.site,
      kind: input.kind,
      value,
      shadow: input.shadow,
      createdBy: principal.keyId,
    });
    await deps.onBansChanged?.(ban.siteId);
    return c.json(
      {
        id: ban.id,
        site: ban.siteId,
        kind: ban.kind,
        value: input.kind === 'ip' ? '(hashed)' : ban.value,
        shadow: ban.shadow,
      },
      201,
    );
  });

  app.openapi(deleteBanRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not_found', 'no such ban');
    const ban = await findBan(deps.db, id);
    const principal = c.get('principal');
    if (!ban || (principal.role !== 'admin' && ban.siteId !== principal.siteId))
      throw new AppError('not_found', 'no such ban');
    await deleteBan(deps.db, id);
    await deps.onBansChanged?.(ban.siteId);
    return c.body(null, 204);
  });

  return app;
}
