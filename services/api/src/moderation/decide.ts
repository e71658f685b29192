import {
  type CommentStatus,
  type DB,
  applySpamLesson,
  lockCommentForDecision,
  openReportsBefore,
  recordDecision,
  withTransaction,
} from '@stammtisch/db';
import { featuresOf, lessonFor } from '@stammtisch/spam';
import { AppError } from '@stammtisch/http';
import type { Principal } from '../auth.js';
import { syncCampaignSignals } from './campaign.js';

export type DecisionAction = 'approve' | 'reject' | 'spam';
export const STATUS_FOR_ACTION: Record<DecisionAction, CommentStatus> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'spam',
};

export interface DecisionResult {
  id: string;
  siteId: string;
  threadKey: string;
  from: CommentStatus;
  to: CommentStatus;
  eventId: string;
  /** Whether the site's classifier learned from this decision. */
  taught: boolean;
  action: DecisionAction | 'undo';
  /** When the comment was written, for time-to-decision. */
  commentCreatedAt: Date;
  /** Who decided: the key's id, or `admin`. */
  by: string;
}

/**
 * Applies one moderator decision: changes the status, writes the audit event
 * (who, from → to, note) in the same transaction, clears open reports, and
 * teaches the site's classifier when the decision overturns the spam stage.
 * Returns null when the comment does not exist or the principal may not see it.
 */
export async function decideComment(
  db: DB,
  input: {
    principal: Principal;
    commentId: string;
    action: DecisionAction | 'undo';
    to?: CommentStatus;
    note?: string | null;
    undoOf?: string | null;
    /** Refuse (409) unless the comment still has this status, checked under the row lock: two undos of one decision cannot both pass. */
    expectStatus?: CommentStatus;
  },
): Promise<DecisionResult | null> {
  const result = await withTransaction(db, async (trx) => {
    const comment = await lockCommentForDecision(trx, input.commentId);
    if (!comment) return null;
    if (input.principal.role !== 'admin' && input.principal.siteId !== comment.siteId) return null;
    if (input.expectStatus && comment.status !== input.expectStatus)
      throw new AppError('conflict', `comment ${comment.id} is ${comment.status} now; it changed since`);
    const to = input.to ?? STATUS_FOR_ACTION[input.action as DecisionAction];
    // A decision settles open reports; undoing it reopens the reports that came in before it.
    const reportCount = input.undoOf ? await openReportsBefore(trx, comment.id, input.undoOf) : 0;
    const eventId = await recordDecision(trx, {
      comment,
      to,
      reportCount,
      actorKeyId: input.principal.keyId,
      action: input.action,
      note: input.note ?? null,
      undoOf: input.undoOf ?? null,
    });
    return { comment, to, eventId };
  });
  if (!result) return null;
  const { comment, to, eventId } = result;

  // approve of spam/held = ham; spam of approved/held = spam. An undo takes the lesson back.
  let taught = false;
  const lesson =
    input.action === 'undo'
      ? lessonFor(to as never, comment.status as never)
      : lessonFor(comment.status as never, to as never);
  if (lesson && comment.status !== 'rejected' && to !== 'rejected') {
    const features = featuresOf({
      body: comment.body,
      author: { name: comment.authorName, email: comment.authorEmail, url: comment.authorUrl },
    });
    await applySpamLesson(db, {
      siteId: comment.siteId,
      features,
      label: lesson,
      delta: input.action === 'undo' ? -1 : 1,
    });
    taught = true;
  }
  await syncCampaignSignals(db, comment, comment.status, to);
  return {
    id: comment.id,
    siteId: comment.siteId,
    threadKey: comment.threadKey,
    from: comment.status,
    to,
    eventId,
    taught,
    action: input.action,
    commentCreatedAt: comment.createdAt,
    by: input.principal.keyId,
  };
}
