import { type CommentViewRow, type DB, findVerifiedEmails, toCommentView } from '@stammtisch/db';

/**
 * Moderation queue items as the queue and the moderators' live stream send
 * them: the shared comment view plus what only moderators see (the email,
 * how the author was verified, the value an identity ban takes).
 */
export async function toQueueItems(db: DB, page: CommentViewRow[]) {
  const verifiedEmails = await findVerifiedEmails(db, page);
  return page.map((row) => {
    const view = toCommentView(row);
    const byEmail = verifiedEmails.has(`${row.siteId}|${row.authorEmail?.toLowerCase()}`);
    return {
      ...view,
      author: {
        ...view.author,
        email: row.authorEmail,
        verified: view.author.verified || byEmail,
        verifiedBy: row.authorIdentity ? 'oidc' : byEmail ? 'email' : null,
        // The value an identity ban takes.
        identity: row.authorIdentity ? `${row.authorIdentity.issuer}|${row.authorIdentity.subject}` : null,
      },
    };
  });
}
export type QueueItem = Awaited<ReturnType<typeof toQueueItems>>[number];
