import type { DB } from '../connect.js';
import { PUBLIC_COMMENT_COLUMNS, type PublicCommentRow } from './comments.js';
import { findThread } from './threads.js';

/** A comment as the live thread stream needs it: public columns plus where it lives and whether it is public. */
export interface LiveCommentRow extends PublicCommentRow {
  siteId: string;
  threadKey: string;
  status: string;
}

function selectLive(db: DB) {
  return db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.threadId')
    .select([...PUBLIC_COMMENT_COLUMNS, 'comments.siteId', 'comments.status', 'threads.key as threadKey']);
}

/** The comments a change event names, in one query. */
export async function findLiveComments(db: DB, ids: string[]): Promise<LiveCommentRow[]> {
  if (ids.length === 0) return [];
  return (await selectLive(db).where('comments.id', 'in', ids).execute()) as LiveCommentRow[];
}

/**
 * What a reconnecting reader missed: the thread's public comments changed
 * (approved, edited, deleted) since `since`, oldest change first, at most
 * `limit` (the stream's bounded replay window).
 */
export async function listThreadChangesSince(
  db: DB,
  input: { siteId: string; threadKey: string; since: Date; limit: number },
): Promise<{ comments: LiveCommentRow[]; count: number }> {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'approvedCount'])
    .where('siteId', '=', input.siteId)
    .where('key', '=', input.threadKey)
    .executeTakeFirst();
  if (!thread) return { comments: [], count: 0 };
  const comments = (await selectLive(db)
    .where('comments.threadId', '=', thread.id)
    .where('comments.status', '=', 'approved')
    .where('comments.updatedAt', '>=', input.since)
    .orderBy('comments.updatedAt')
    .limit(input.limit)
    .execute()) as LiveCommentRow[];
  return { comments, count: thread.approvedCount };
}

/** A thread's approved count, for `event: count`. */
export async function threadCount(db: DB, siteId: string, threadKey: string): Promise<number> {
  return (await findThread(db, siteId, threadKey))?.approvedCount ?? 0;
}
