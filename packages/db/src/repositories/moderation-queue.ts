import { sql } from 'kysely';
import type { DB } from '../connect.js';
import type { CommentStatus } from '../schema.js';
import { selectCommentViews } from './comment-views.js';

export type QueueSort = 'newest' | 'oldest' | 'priority';

/** Where the previous page ended: its last row's keys (report count and certainty only for `priority`). */
export interface QueuePosition {
  createdAt: string;
  id: string;
  reports?: number;
  certainty?: number;
}

export interface QueueFilter {
  /** null: every site (the admin key). */
  siteId: string | null;
  /** `reported`: approved comments with open reports. */
  status: CommentStatus | 'reported';
  thread?: string;
  /** A check name: only comments whose reasons include it. */
  reason?: string;
  /** Text in the body, the author's name or email. */
  q?: string;
  /** `priority`: most reports first, then the spam stage's least certain calls (score nearest 0.5), then oldest. */
  sort: QueueSort;
  limit: number;
  after?: QueuePosition;
}

/**
 * One page of the moderation queue (keyset, never OFFSET), as comment views
 * with votes and edit marks, plus `certainty` (distance of the score from
 * 0.5, float8 so it round-trips exactly through a cursor).
 */
export async function listModerationQueue(db: DB, filter: QueueFilter) {
  const newest = filter.sort === 'newest';
  const priority = filter.sort === 'priority';
  const certainty = sql<number>`abs(comments.score::float8 - 0.5)`;
  let q = selectCommentViews(db)
    .select(certainty.as('certainty'))
    .select(['comments.votesUp', 'comments.votesDown', 'comments.pinnedAt', 'comments.editedAt', 'comments.deletedAt'])
    .limit(filter.limit);
  if (priority) q = q.orderBy('comments.reportCount', 'desc').orderBy(certainty, 'asc');
  q = q.orderBy('comments.createdAt', newest ? 'desc' : 'asc').orderBy('comments.id', newest ? 'desc' : 'asc');
  if (filter.siteId) q = q.where('comments.siteId', '=', filter.siteId);
  q =
    filter.status === 'reported'
      ? q.where('comments.reportCount', '>', 0).where('comments.status', '=', 'approved')
      : q.where('comments.status', '=', filter.status);
  if (filter.thread) q = q.where('threads.key', '=', filter.thread);
  if (filter.reason)
    q = q.where(sql<boolean>`comments.reasons @> ${JSON.stringify([{ check: filter.reason }])}::jsonb`);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb('comments.body', 'ilike', pattern),
        eb('comments.authorName', 'ilike', pattern),
        eb('comments.authorEmail', 'ilike', pattern),
      ]),
    );
  }
  const after = filter.after;
  if (after) {
    q = priority
      ? q.where(
          sql<boolean>`(-comments.report_count, ${certainty}, comments.created_at, comments.id) > (${-Number(after.reports)}::int, ${after.certainty}::float8, ${after.createdAt}::timestamptz, ${after.id}::uuid)`,
        )
      : q.where(
          sql<boolean>`(comments.created_at, comments.id) ${sql.raw(newest ? '<' : '>')} (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
        );
  }
  return q.execute();
}
