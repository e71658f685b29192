import type { DB } from '../connect.js';
import { selectCommentViews } from './comment-views.js';
import type { CommentStatus, SpamReason } from '../schema.js';

/** What deciding on a writer's edit or deletion needs to know about their comment. */
export interface OwnCommentRow {
  id: string;
  siteId: string;
  threadKey: string;
  status: CommentStatus;
  createdAt: Date;
  deletedAt: Date | null;
  authorIdentity: { provider: string; issuer: string; subject: string } | null;
}

export async function findOwnComment(db: DB, siteId: string, id: string): Promise<OwnCommentRow | undefined> {
  const query = selectCommentViews(db)
    .select('comments.deletedAt')
    .where('comments.id', '=', id)
    .where('comments.siteId', '=', siteId);
  return (await query.executeTakeFirst()) as OwnCommentRow | undefined;
}

/** The writer takes their comment back: it leaves the public thread (or stays as a "deleted" placeholder above replies). */
export async function markCommentDeleted(db: DB, id: string, at: Date): Promise<void> {
  await db
    .updateTable('comments')
    .set({ deletedAt: at, updatedAt: at })
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .execute();
}

/**
 * Replaces a comment's text with its writer's edit, as the spam stage decided
 * it, and keeps the text it replaces as an earlier version for moderators.
 * Returns undefined when the comment is gone or was deleted meanwhile.
 */
export async function applyCommentEdit(
  db: DB,
  input: {
    id: string;
    body: string;
    bodyHash: string;
    html: string;
    status: CommentStatus;
    score: number;
    reasons: SpamReason[];
    editedAt: Date;
  },
): Promise<{ siteId: string; threadKey: string; from: CommentStatus } | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('comments')
      .innerJoin('threads', 'threads.id', 'comments.threadId')
      .select([
        'comments.body',
        'comments.html',
        'comments.status',
        'comments.siteId',
        'comments.editedAt',
        'threads.key as threadKey',
      ])
      .where('comments.id', '=', input.id)
      .where('comments.deletedAt', 'is', null)
      .forUpdate('comments')
      .executeTakeFirst();
    if (!current) return undefined;
    // A retried edit job finds its text already in place: nothing to keep twice.
    if (current.body === input.body && current.editedAt?.getTime() === input.editedAt.getTime()) {
      return { siteId: current.siteId, threadKey: current.threadKey, from: current.status };
    }
    await trx
      .insertInto('commentVersions')
      .values({ commentId: input.id, body: current.body, html: current.html, editedAt: input.editedAt })
      .execute();
    await trx
      .updateTable('comments')
      .set({
        body: input.body,
        bodyHash: input.bodyHash,
        html: input.html,
        status: input.status,
        score: input.score,
        reasons: JSON.stringify(input.reasons),
        editedAt: input.editedAt,
        updatedAt: new Date(),
      })
      .where('id', '=', input.id)
      .execute();
    return { siteId: current.siteId, threadKey: current.threadKey, from: current.status };
  });
}

/** Earlier texts of each comment (oldest first), for the moderation queue. */
export async function listCommentVersions(
  db: DB,
  ids: string[],
): Promise<Map<string, { body: string; editedAt: string }[]>> {
  const out = new Map<string, { body: string; editedAt: string }[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('commentVersions')
    .select(['commentId', 'body', 'editedAt'])
    .where('commentId', 'in', ids)
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = out.get(row.commentId) ?? [];
    list.push({ body: row.body, editedAt: row.editedAt.toISOString() });
    out.set(row.commentId, list);
  }
  return out;
}

/** Pins or unpins a comment; undefined when there is no such comment. */
export async function setCommentPinned(
  db: DB,
  id: string,
  pinned: boolean,
): Promise<{ siteId: string; threadKey: string; status: CommentStatus } | undefined> {
  const at = new Date();
  // updated_at moves on, so open pages receive the pin through their live stream.
  return db
    .updateTable('comments')
    .from('threads')
    .set({ pinnedAt: pinned ? at : null, updatedAt: at })
    .whereRef('threads.id', '=', 'comments.threadId')
    .where('comments.id', '=', id)
    .returning(['comments.siteId', 'threads.key as threadKey', 'comments.status'])
    .executeTakeFirst();
}
