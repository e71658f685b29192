import { identityBanValue } from '@stammtisch/comments';
import { type CommentViewRow, type DB, findVerifiedEmails, listCommentVersions, toCommentView } from '@stammtisch/db';

/** Reader-feature columns the queue selects besides the comment view (the live stream's items may lack them). */
interface ReaderFeatureColumns {
  votesUp?: number;
  votesDown?: number;
  pinnedAt?: Date | null;
  editedAt?: Date | null;
  deletedAt?: Date | null;
}

/**
 * Moderation queue items as the queue and the moderators' live stream send
 * them: the shared comment view plus what only moderators see (the email,
 * how the author was verified, the value an identity ban takes).
 */
export async function toQueueItems(db: DB, page: Array<CommentViewRow & ReaderFeatureColumns>) {
  const [verifiedEmails, versions] = await Promise.all([
    findVerifiedEmails(db, page),
    listCommentVersions(
      db,
      page.filter((row) => row.editedAt).map((row) => row.id),
    ),
  ]);
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
        identity: row.authorIdentity ? identityBanValue(row.authorIdentity) : null,
      },
      // Reader features: votes, pinning, and the writer's edits with the texts they replaced.
      votes: { up: row.votesUp ?? 0, down: row.votesDown ?? 0 },
      pinned: Boolean(row.pinnedAt),
      editedAt: row.editedAt?.toISOString() ?? null,
      deletedAt: row.deletedAt?.toISOString() ?? null,
      versions: versions.get(row.id) ?? [],
    };
  });
}
export type QueueItem = Awaited<ReturnType<typeof toQueueItems>>[number];
