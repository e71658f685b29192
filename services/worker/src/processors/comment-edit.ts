import {
  type CommentStatus,
  type DB,
  type SpamReason,
  applyCommentEdit,
  commentBodyHash,
  findComment,
  isEmailVerified,
  loadSpamContext,
} from '@stammtisch/db';
import { banReason, findBan, renderCommentHtml } from '@stammtisch/comments';
import type { Logger } from '@stammtisch/http';
import type { EditJob } from '@stammtisch/contract';
import { classifyComment } from '@stammtisch/spam';
import { STATUS_OF } from './comment-decision.js';
import type { SiteContextCache } from '../site-context.js';

export interface EditProcessorDeps {
  db: DB;
  siteContexts: SiteContextCache;
  logger: Logger;
  /** After the new text is stored: caches and the live thread streams. */
  onCommentEdited: (event: {
    siteId: string;
    threadKey: string;
    commentId: string;
    status: CommentStatus;
  }) => Promise<void>;
}

/**
 * A writer's edit: the new text goes through the same spam checks as a new
 * comment (with the author's record and the site's settings, bans and
 * model), and replaces the old text with the status they decide, so an edit
 * that turns a published comment into spam is held or filtered like a new
 * one. The old text is kept as an earlier version for moderators.
 */
export async function processCommentEdit(
  deps: EditProcessorDeps,
  job: EditJob,
): Promise<{ status: CommentStatus } | null> {
  const [context, comment] = await Promise.all([
    deps.siteContexts.get(job.siteId),
    findComment(deps.db, job.commentId),
  ]);
  if (!context || !comment || comment.siteId !== job.siteId || comment.deletedAt) {
    deps.logger.info({ commentId: job.commentId }, 'edited comment no longer exists; edit dropped');
    return null;
  }
  const { site } = context;
  const bodyHash = commentBodyHash(job.body);
  const editedAt = new Date(job.editedAt);
  const email = comment.authorEmail;
  const [live, emailVerified] = await Promise.all([
    loadSpamContext(deps.db, {
      siteId: site.id,
      email,
      ipHash: job.ipHash ?? comment.authorIpHash,
      bodyHash,
      now: editedAt,
    }),
    !comment.authorIdentity && email ? isEmailVerified(deps.db, site.id, email) : false,
  ]);
  const verdict = classifyComment(
    {
      body: job.body,
      author: { name: comment.authorName, email, url: comment.authorUrl },
      honeypot: null,
      renderedAt: null,
      receivedAt: job.editedAt,
      verified: Boolean(comment.authorIdentity) || emailVerified,
    },
    { settings: site.settings, model: context.model, mode: site.moderation, context: live },
  );
  let status = STATUS_OF[verdict.outcome];
  const reasons: SpamReason[] = [
    { check: 'edit', weight: 0, detail: 'Edited by its writer; checked again' },
    ...verdict.reasons,
  ];
  // Bans as for a new comment (the same policy, shadow bans included), by the address the
  // comment was written from or the edit's, and by the account that wrote it.
  const ban = findBan(context.bans, {
    email,
    body: job.body,
    ipHashes: [job.ipHash, comment.authorIpHash],
    identity: comment.authorIdentity,
  });
  if (ban) {
    status = 'spam';
    reasons.unshift(banReason(ban));
  }
  const result = await applyCommentEdit(deps.db, {
    id: comment.id,
    body: job.body,
    bodyHash,
    html: renderCommentHtml(job.body),
    status,
    score: verdict.score,
    reasons,
    editedAt,
  });
  if (!result) return null;
  await deps.onCommentEdited({ siteId: result.siteId, threadKey: result.threadKey, commentId: comment.id, status });
  return { status };
}
