import { sql } from 'kysely';
import type { DB } from '../connect.js';
import type { Comment, CommentStatus, NewComment } from '../schema.js';
import { loadCommentContexts } from './comment-context.js';

/**
 * Writes a comment once. The id is the queue job's id, so a retried or
 * duplicated job finds its row already there and changes nothing.
 * Returns true when this call inserted the row.
 */
export async function insertComment(db: DB, comment: NewComment): Promise<boolean> {
  return (await insertComments(db, [comment])).size === 1;
}

export async function findComment(db: DB, id: string): Promise<Comment | undefined> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether a comment (any status) is stored on this site: ingest refuses reports of unknown comments with a 404. */
export async function commentExistsOnSite(db: DB, siteId: string, id: string): Promise<boolean> {
  return (await findComment(db, id))?.siteId === siteId;
}

/**
 * The columns of an approved comment the public read is made from. `authorEmail`
 * is read only to derive the avatar's keyed hash and is never shown.
 */
export interface PublicCommentRow {
  id: string;
  parentId: string | null;
  rootId: string;
  authorName: string;
  authorEmail: string | null;
  authorUrl: string | null;
  authorIdentity: { provider: string } | null;
  html: string;
  createdAt: Date;
  updatedAt: Date;
  votesUp: number;
  votesDown: number;
  pinnedAt: Date | null;
  editedAt: Date | null;
  deletedAt: Date | null;
}

/** One select list for every public read (thread pages, live events). */
export const PUBLIC_COMMENT_COLUMNS = [
  'comments.id',
  'comments.parentId',
  'comments.rootId',
  'comments.authorName',
  'comments.authorEmail',
  'comments.authorUrl',
  'comments.authorIdentity',
  'comments.html',
  'comments.createdAt',
  'comments.updatedAt',
  'comments.votesUp',
  'comments.votesDown',
  'comments.pinnedAt',
  'comments.editedAt',
  'comments.deletedAt',
] as const;

/** Lower bound of the Wilson score interval (95 %) of a comment's votes: `sort=best`. */
export const WILSON_LOWER_BOUND = sql<number>`(case when votes_up + votes_down = 0 then 0::float8 else
  ((votes_up::float8 + 1.9208) / (votes_up + votes_down) - 1.96 * sqrt((votes_up::float8 * votes_down) / (votes_up + votes_down) + 0.9604) / (votes_up + votes_down))
  / (1 + 3.8416 / (votes_up + votes_down)) end)`;

/** Public unless its writer deleted it and no public reply hangs under it (then it stays as a "deleted" placeholder). */
const VISIBLE = sql<boolean>`(comments.deleted_at is null or exists (
  select 1 from comments r where r.parent_id = comments.id and r.status = 'approved' and r.deleted_at is null))`;

export interface ThreadPageCursor {
  createdAt: string;
  id: string;
  /** The Wilson bound, for sort=best. */
  score?: number;
}

export type ThreadSort = 'oldest' | 'newest' | 'best';

/**
 * One page of a thread: `limit` approved top-level comments in keyset order
 * (no OFFSET, so page 1000 costs what page 1 costs), then every approved
 * reply under them, each top-level comment followed by its replies. Pinned
 * comments come first, on the first page only.
 */
export async function listThreadPage(
  db: DB,
  input: { threadId: string; sort: ThreadSort; limit: number; after?: ThreadPageCursor },
): Promise<{ comments: PublicCommentRow[]; next?: ThreadPageCursor }> {
  const newest = input.sort === 'newest';
  const best = input.sort === 'best';
  const topLevel = () =>
    db
      .selectFrom('comments')
      .select([...PUBLIC_COMMENT_COLUMNS, WILSON_LOWER_BOUND.as('score')])
      .where('threadId', '=', input.threadId)
      .where('status', '=', 'approved')
      .where('parentId', 'is', null)
      .where(VISIBLE);
  const pinned = input.after
    ? []
    : await topLevel().where('pinnedAt', 'is not', null).orderBy('pinnedAt', 'desc').execute();
  let topQuery = topLevel().where('pinnedAt', 'is', null);
  if (best) topQuery = topQuery.orderBy(WILSON_LOWER_BOUND, 'desc');
  topQuery = topQuery
    .orderBy('createdAt', newest ? 'desc' : 'asc')
    .orderBy('id', newest ? 'desc' : 'asc')
    .limit(input.limit + 1);
  if (input.after) {
    const { createdAt, id, score } = input.after;
    topQuery = best
      ? topQuery.where(
          sql<boolean>`(-${WILSON_LOWER_BOUND}, created_at, id) > (${-(score ?? 0)}::float8, ${createdAt}::timestamptz, ${id}::uuid)`,
        )
      : topQuery.where(
          sql<boolean>`(created_at, id) ${sql.raw(newest ? '<' : '>')} (${createdAt}::timestamptz, ${id}::uuid)`,
        );
  }
  const top = await topQuery.execute();
  const hasMore = top.length > input.limit;
  const page = [...pinned, ...(hasMore ? top.slice(0, input.limit) : top)];
  if (page.length === 0) return { comments: [] };

  const replies = (await db
    .selectFrom('comments')
    .select(PUBLIC_COMMENT_COLUMNS)
    .where('threadId', '=', input.threadId)
    .where('status', '=', 'approved')
    .where(
      'rootId',
      'in',
      page.map((c) => c.id),
    )
    .where('parentId', 'is not', null)
    .where(VISIBLE)
    .orderBy('createdAt')
    .orderBy('id')
    .execute()) as PublicCommentRow[];

  const last = page[page.length - 1]!;
  return {
    comments: orderReplies(page as PublicCommentRow[], replies),
    next: hasMore
      ? { createdAt: last.createdAt.toISOString(), id: last.id, ...(best && { score: Number(last.score) }) }
      : undefined,
  };
}

/** Each root, then its replies depth-first in time order; a reply whose parent is not public follows its root's group. */
function orderReplies(roots: PublicCommentRow[], replies: PublicCommentRow[]): PublicCommentRow[] {
  const children = new Map<string, PublicCommentRow[]>();
  for (const reply of replies) {
    const list = children.get(reply.parentId!) ?? [];
    list.push(reply);
    children.set(reply.parentId!, list);
  }
  const out: PublicCommentRow[] = [];
  const placed = new Set<string>();
  const visit = (comment: PublicCommentRow) => {
    out.push(comment);
    placed.add(comment.id);
    for (const child of children.get(comment.id) ?? []) visit(child);
  };
  for (const root of roots) {
    visit(root);
    for (const reply of replies) if (reply.rootId === root.id && !placed.has(reply.id)) visit(reply);
  }
  return out;
}

/**
 * Writes many comments in one multi-row INSERT (one statement, so one
 * transaction): all or none. Returns the ids that were new; an id already
 * stored (a retried job, an imported comment) is left as it was. The one
 * comment INSERT: the worker, `insertComment` and imports all use it.
 */
export async function insertComments(db: DB, comments: NewComment[]): Promise<Set<string>> {
  if (comments.length === 0) return new Set();
  const rows = await db
    .insertInto('comments')
    .values(comments.map((comment) => ({ ...comment, reasons: JSON.stringify(comment.reasons ?? []) })))
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Status and parent of stored comments, by id (what a replayed job reports). */
export async function findCommentStatuses(
  db: DB,
  ids: string[],
): Promise<Map<string, { status: CommentStatus; parentId: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('comments').select(['id', 'status', 'parentId']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, { status: row.status, parentId: row.parentId }]));
}

/** Approved comments per thread key, in one query; keys without a thread count 0. */
export async function countApprovedByThreadKey(
  db: DB,
  siteId: string,
  keys: string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  if (keys.length === 0) return counts;
  const rows = await db
    .selectFrom('threads')
    .select(['key', 'approvedCount as count'])
    .where('siteId', '=', siteId)
    .where('key', 'in', keys)
    .execute();
  for (const row of rows) counts[row.key] = Number(row.count);
  return counts;
}

export async function countCommentsByStatus(db: DB, siteId: string): Promise<Record<CommentStatus, number>> {
  const rows = await db
    .selectFrom('comments')
    .select(['status', db.fn.countAll<number>().as('count')])
    .where('siteId', '=', siteId)
    .groupBy('status')
    .execute();
  const counts: Record<CommentStatus, number> = { approved: 0, pending: 0, spam: 0, rejected: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/**
 * What the spam stage may know about an author and a body on one site: the
 * one-comment form of `loadCommentContexts` (bounded windows and counts).
 */
export async function loadSpamContext(
  db: DB,
  input: { siteId: string; email: string | null; ipHash: string | null; bodyHash: string; now: Date },
): Promise<{
  authorHistory: { approved: number; spam: number; rejected: number };
  recentDuplicates: number;
  burst: { sameIp: number; sameEmail: number };
}> {
  const [row] = await loadCommentContexts(db, [
    {
      siteId: input.siteId,
      email: input.email,
      ipHash: input.ipHash,
      bodyHash: input.bodyHash,
      at: input.now,
      parentId: null,
      identity: null,
      name: '',
    },
  ]);
  return { authorHistory: row!.authorHistory, recentDuplicates: row!.recentDuplicates, burst: row!.burst };
}
