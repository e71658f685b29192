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
    author: { name: row.authorName, url: row.authorUrl, verified: Boolean(row.authorIdentity), provider: row.authorIdentity?.provider ?? null },
    body: row.body,
    html: row.html,
    status: row.status,
    score: row.score,
    reasons: row.reasons,
    reports: row.reportCount,
    createdAt: row.createdAt.toISOString(),
  };
}
