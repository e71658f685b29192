import { type CommentStatus, type DB, recordSpamSignals, removeSpamSignals } from '@stammtisch/db';
import { campaignSignals } from '@stammtisch/spam';

/**
 * Keeps the installation's campaign signals in step with a moderator's decision: a comment
 * a moderator marks spam (also one the spam stage had already put there: confirming is a
 * decision too) lends its signals (hashes and fingerprints only) to every site's spam stage;
 * one that stops being spam (undo, approve) takes them back. The stage's own verdicts never
 * become signals, so a campaign match cannot feed itself.
 */
export async function syncCampaignSignals(
  db: DB,
  comment: {
    id: string;
    siteId: string;
    body: string;
    authorName: string;
    authorEmail: string | null;
    authorUrl: string | null;
    authorIpHash: string | null;
  },
  from: CommentStatus,
  to: CommentStatus,
): Promise<void> {
  if (to === 'spam') {
    const signals = campaignSignals({
      body: comment.body,
      author: { name: comment.authorName, email: comment.authorEmail, url: comment.authorUrl },
      ipHash: comment.authorIpHash,
    });
    await recordSpamSignals(db, { siteId: comment.siteId, commentId: comment.id, signals });
  } else if (from === 'spam') {
    await removeSpamSignals(db, comment.id);
  }
}
