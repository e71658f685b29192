import { sql } from 'kysely';
import type { DB } from '../connect.js';
import { selectCommentViews } from './comment-views.js';
import type { BanTable, CommentStatus } from '../schema.js';

/** A comment as a decision needs it (its view and the author's hashed IP), locked (FOR UPDATE) until the caller's transaction ends. */
export async function lockCommentForDecision(trx: DB, commentId: string) {
  return selectCommentViews(trx)
    .select('comments.authorIpHash')
    .where('comments.id', '=', commentId)
    .forUpdate()
    .executeTakeFirst();
}

/** Sets a comment's decided status and open report count, and writes the audit event; returns the event's id. */
export async function recordDecision(
  trx: DB,
  input: {
    comment: { id: string; siteId: string; status: CommentStatus };
    to: CommentStatus;
    reportCount: number;
    actorKeyId: string;
    action: string;
    note: string | null;
    undoOf: string | null;
  },
): Promise<string> {
  const now = new Date();
  await trx
    .updateTable('comments')
    .set({ status: input.to, decidedAt: now, updatedAt: now, reportCount: input.reportCount })
    .where('id', '=', input.comment.id)
    .execute();
  const event = await trx
    .insertInto('moderationEvents')
    .values({
      siteId: input.comment.siteId,
      commentId: input.comment.id,
      actorKeyId: input.actorKeyId,
      action: input.action,
      fromStatus: input.comment.status,
      toStatus: input.to,
      note: input.note,
      undoOf: input.undoOf,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(event.id);
}

/** Reports filed after the decision before `eventId` (if any) and before `eventId` itself: the ones that decision settled. */
export async function openReportsBefore(db: DB, commentId: string, eventId: string): Promise<number> {
  const row = await sql<{ n: number }>`
    with undone as (select created_at from moderation_events where id = ${eventId}::bigint),
         earlier as (select max(created_at) as at from moderation_events where comment_id = ${commentId} and id < ${eventId}::bigint)
    select count(*)::int as n from reports
    where comment_id = ${commentId}
      and created_at <= (select created_at from undone)
      and ((select at from earlier) is null or created_at > (select at from earlier))`.execute(db);
  return row.rows[0]?.n ?? 0;
}

export async function findModerationEvents(db: DB, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('moderationEvents').selectAll().where('id', 'in', ids).execute();
}

/** Any event on the comment after `eventId` (an undo of it, or a later decision). */
export async function findEventAfter(db: DB, commentId: string, eventId: string) {
  return db
    .selectFrom('moderationEvents')
    .select(['id', 'undoOf'])
    .where('commentId', '=', commentId)
    .where('id', '>', eventId)
    .executeTakeFirst();
}

/** The newest event on a comment. */
export async function findLatestEvent(db: DB, commentId: string) {
  return db
    .selectFrom('moderationEvents')
    .select(['id', 'action'])
    .where('commentId', '=', commentId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The audit log, newest first; `siteId` null: every site. */
export async function listModerationEvents(
  db: DB,
  input: { siteId: string | null; commentId?: string; limit: number },
) {
  let q = db
    .selectFrom('moderationEvents')
    .selectAll()
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit);
  if (input.siteId) q = q.where('siteId', '=', input.siteId);
  if (input.commentId) q = q.where('commentId', '=', input.commentId);
  return q.execute();
}

/** Which site a comment is on, if it exists. */
export async function findCommentSite(db: DB, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('comments').select('siteId').where('id', '=', id).executeTakeFirst();
  return row?.siteId;
}

/** The oldest held comment's time of each site that has one (a gauge at scrape time). */
export async function oldestPendingPerSite(db: DB): Promise<{ siteId: string; oldest: Date }[]> {
  const rows = await db
    .selectFrom('comments')
    .select(['siteId', (eb) => eb.fn.min('createdAt').as('oldest')])
    .where('status', '=', 'pending')
    .groupBy('siteId')
    .execute();
  return rows.map((r) => ({ siteId: r.siteId, oldest: new Date(r.oldest as Date) }));
}

/** When the site's oldest held comment was written, or null. */
export async function oldestPendingOf(db: DB, siteId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.min('createdAt').as('oldest'))
    .where('siteId', '=', siteId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.oldest ? new Date(row.oldest as Date) : null;
}

/** The last 30 days' moderator decisions (not undone) of a site: median time to a first decision and overturns. */
export async function recentDecisionFigures(
  db: DB,
  siteId: string,
): Promise<
  { median: number | null; approvedAfterSpam: number; spamAfterApprove: number; decisions: number } | undefined
> {
  // CamelCasePlugin turns the snake_case aliases into camelCase keys.
  const result = await sql<{
    median: number | null;
    approvedAfterSpam: number;
    spamAfterApprove: number;
    decisions: number;
  }>`
      select
        percentile_cont(0.5) within group (order by extract(epoch from e.created_at - c.created_at))
          filter (where e.from_status in ('pending', 'spam')) as median,
        count(*) filter (where e.from_status = 'spam' and e.to_status = 'approved')::int as approved_after_spam,
        count(*) filter (where e.from_status = 'approved' and e.to_status = 'spam')::int as spam_after_approve,
        count(*)::int as decisions
      from moderation_events e
      join comments c on c.id = e.comment_id
      where e.site_id = ${siteId}
        and e.action in ('approve', 'reject', 'spam')
        and e.created_at > now() - interval '30 days'
        and not exists (select 1 from moderation_events u where u.undo_of = e.id)`.execute(db);
  return result.rows[0];
}

// --- bans -------------------------------------------------------------------

/** Bans as the moderation API lists them, newest first; `siteId` null: every site. */
export async function listBans(db: DB, siteId: string | null) {
  let q = db
    .selectFrom('bans')
    .select(['id', 'siteId as site', 'kind', 'value', 'shadow', 'createdAt'])
    .orderBy('createdAt', 'desc');
  if (siteId) q = q.where('siteId', '=', siteId);
  return q.execute();
}

/** Adds a ban, or changes whether an existing one is shadow. */
export async function upsertBan(
  db: DB,
  ban: { siteId: string; kind: BanTable['kind']; value: string; shadow: boolean; createdBy: string },
) {
  return db
    .insertInto('bans')
    .values(ban)
    .onConflict((oc) => oc.columns(['siteId', 'kind', 'value']).doUpdateSet({ shadow: ban.shadow }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findBan(db: DB, id: string) {
  return db.selectFrom('bans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteBan(db: DB, id: string): Promise<void> {
  await db.deleteFrom('bans').where('id', '=', id).execute();
}
