import type { DB } from '../connect.js';
import { type CommentViewRow, selectCommentViews } from './comment-views.js';

/** One comment with its thread (the shared comment view's columns), e.g. for the text of a mail. */
export async function findCommentView(db: DB, id: string): Promise<CommentViewRow | undefined> {
  return selectCommentViews(db).where('comments.id', '=', id).executeTakeFirst();
}

/** The address a comment's author gave, if any. */
export async function findCommentAuthorEmail(db: DB, id: string): Promise<string | null> {
  const row = await db.selectFrom('comments').select('authorEmail').where('id', '=', id).executeTakeFirst();
  return row?.authorEmail ?? null;
}
