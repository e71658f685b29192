import type { Comment, CommentStatus, DB, NewModerationEvent } from '@stammtisch/db';

// Tests look at rows, and put rows into states, that no production code path
// reads or writes the same way (a backdated event, a comment with given vote
// counts). Those queries live here, named for what the test means, so no
// service holds a query: production SQL stays in packages/db's repositories.

// --- Reading ---------------------------------------------------------------

/** A stored comment, every column; throws when there is none. */
export async function commentRow(db: DB, id: string): Promise<Comment> {
  return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** A site's stored comments (optionally of one status), oldest first. */
export async function siteComments(
  db: DB,
  siteId: string,
  filter: { status?: CommentStatus } = {},
): Promise<Comment[]> {
  let query = db.selectFrom('comments').selectAll().where('siteId', '=', siteId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('createdAt').orderBy('id').execute();
}

/** Stored comments by id, in no particular order. */
export async function commentRows(db: DB, ids: string[]): Promise<Comment[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('comments').selectAll().where('id', 'in', ids).execute();
}

/** The site's most recent comment (by creation time, then id). */
export async function latestComment(db: DB, siteId: string): Promise<Comment> {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('siteId', '=', siteId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

/** A site's comments with their thread's key, title and closed flag, by creation time then body. */
export async function commentsWithThreads(db: DB, siteId: string) {
  return db
    .selectFrom('comments')
    .innerJoin('threads', 'threads.id', 'comments.threadId')
    .selectAll('comments')
    .select(['threads.key as threadKey', 'threads.title as threadTitle', 'threads.closed as threadClosed'])
    .where('comments.siteId', '=', siteId)
    .orderBy('comments.createdAt')
    .orderBy('comments.body')
    .execute();
}

/** How many comments match: by id, site and status, each optional. */
export async function countComments(
  db: DB,
  where: { id?: string; siteId?: string; status?: CommentStatus },
): Promise<number> {
  let query = db.selectFrom('comments').select((eb) => eb.fn.countAll<string>().as('n'));
  if (where.id) query = query.where('id', '=', where.id);
  if (where.siteId) query = query.where('siteId', '=', where.siteId);
  if (where.status) query = query.where('status', '=', where.status);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** How many threads a site has. */
export async function countThreads(db: DB, siteId: string): Promise<number> {
  const row = await db
    .selectFrom('threads')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('siteId', '=', siteId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// --- Arranging -------------------------------------------------------------

/** Sets a comment's status directly, as if decided outside the code under test. */
export async function setCommentStatus(db: DB, id: string, status: CommentStatus): Promise<void> {
  await db.updateTable('comments').set({ status }).where('id', '=', id).execute();
}

/** Gives a comment vote counts without casting each vote. */
export async function setCommentVotes(db: DB, id: string, votes: { up: number; down: number }): Promise<void> {
  await db.updateTable('comments').set({ votesUp: votes.up, votesDown: votes.down }).where('id', '=', id).execute();
}

/** Gives a comment a number of open reports without filing each one. */
export async function setCommentReportCount(db: DB, id: string, reportCount: number): Promise<void> {
  await db.updateTable('comments').set({ reportCount }).where('id', '=', id).execute();
}

/** Changes who wrote a comment: a signed-in identity and/or the typed email. */
export async function setCommentAuthor(
  db: DB,
  id: string,
  author: { identity?: { provider: string; issuer: string; subject: string } | null; email?: string | null },
): Promise<void> {
  await db
    .updateTable('comments')
    .set({
      ...(author.identity !== undefined && {
        authorIdentity: author.identity === null ? null : JSON.stringify(author.identity),
      }),
      ...(author.email !== undefined && { authorEmail: author.email }),
    })
    .where('id', '=', id)
    .execute();
}

/** Replaces a comment's stored HTML (as the worker's renderer would have written it). */
export async function setCommentHtml(db: DB, id: string, html: string): Promise<void> {
  await db.updateTable('comments').set({ html }).where('id', '=', id).execute();
}

/** Marks a comment edited at `editedAt`, keeping `previous` as its earlier version. */
export async function markCommentEdited(
  db: DB,
  id: string,
  previous: { body: string; html: string },
  editedAt: Date,
): Promise<void> {
  await db
    .insertInto('commentVersions')
    .values({ commentId: id, body: previous.body, html: previous.html, editedAt })
    .execute();
  await db.updateTable('comments').set({ editedAt }).where('id', '=', id).execute();
}

/** Records an address as proven on a site, as a used one-time link would. */
export async function markEmailVerified(db: DB, siteId: string, email: string): Promise<void> {
  await db.insertInto('verifiedEmails').values({ siteId, email }).execute();
}

/** Lets every pending verification link of an address expire. */
export async function expireEmailVerifications(db: DB, email: string): Promise<void> {
  await db
    .updateTable('emailVerifications')
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where('email', '=', email)
    .execute();
}

/** Disables a webhook as repeated failures would, with the given reason. */
export async function disableWebhook(
  db: DB,
  id: string,
  input: { reason: string; consecutiveFailures?: number },
): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({
      enabled: false,
      disabledReason: input.reason,
      disabledAt: new Date(),
      ...(input.consecutiveFailures !== undefined && { consecutiveFailures: input.consecutiveFailures }),
    })
    .where('id', '=', id)
    .execute();
}

/** Writes a moderation event to the audit log directly; returns its id. */
export async function recordModerationEvent(db: DB, event: NewModerationEvent): Promise<string> {
  const row = await db.insertInto('moderationEvents').values(event).returning('id').executeTakeFirstOrThrow();
  return String(row.id);
}

/** Moves a moderation event back in time (an undo window that has passed). */
export async function backdateModerationEvent(db: DB, id: string, createdAt: Date): Promise<void> {
  await db.updateTable('moderationEvents').set({ createdAt }).where('id', '=', id).execute();
}
