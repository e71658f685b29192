import type { DB } from '../connect.js';

/**
 * A comment with its thread, as moderators and webhook receivers see it.
 * One select list and one mapping, so the moderation queue and webhook
 * payloads cannot drift apart.
 */
export function selectCommentViews(db: DB) {
  return db
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
    ]);
}

export type CommentViewRow = Awaited<ReturnType<ReturnType<typeof selectCommentViews>['executeTakeFirstOrThrow']>>;

/** The shared shape, without the author's email (never an IP): webhooks send exactly this; the moderation queue adds to it. */
export function toCommentView(row: CommentViewRow) {
  return {
    id: row.id,
    site: row.siteId,
    thread: { key: row.threadKey, title: row.threadTitle, url: row.threadUrl },
    parentId: row.parentId,
    author: {
      name: row.authorName,
      url: row.authorUrl,
      verified: Boolean(row.authorIdentity),
      provider: row.authorIdentity?.provider ?? null,
    },
    body: row.body,
    html: row.html,
    status: row.status,
    score: row.score,
    reasons: row.reasons,
    reports: row.reportCount,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Of these rows' author emails, the ones proven by a one-time link, as `site|email`: one query per page. */
export async function findVerifiedEmails(
  db: DB,
  rows: { siteId: string; authorEmail: string | null }[],
): Promise<Set<string>> {
  const emails = [...new Set(rows.flatMap((r) => (r.authorEmail ? [r.authorEmail.toLowerCase()] : [])))];
  if (emails.length === 0) return new Set();
  const found = await db
    .selectFrom('verifiedEmails')
    .select(['siteId', 'email'])
    .where('email', 'in', emails)
    .execute();
  return new Set(found.map((f) => `${f.siteId}|${f.email}`));
}

/** These comments as views, oldest first (the ones that exist). */
export async function findCommentViews(db: DB, ids: string[]): Promise<CommentViewRow[]> {
  if (ids.length === 0) return [];
  return selectCommentViews(db).where('comments.id', 'in', ids).orderBy('comments.createdAt').execute();
}
