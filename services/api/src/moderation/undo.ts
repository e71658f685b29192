import { type DB, findEventAfter, findLatestEvent, findModerationEvents } from '@stammtisch/db';
import { AppError } from '@stammtisch/http';
import type { Principal } from '../auth.js';
import { type DecisionResult, decideComment } from './decide.js';

/** How long a decision can be taken back. Long enough for "oops", short enough that undo never fights later work. */
export const UNDO_WINDOW_MS = 15 * 60_000;

const DECISIONS = ['approve', 'reject', 'spam'];

/**
 * Undoes moderator decisions: each comment goes back to the status it had
 * before, as a new audited event (`action: "undo"`, `undoOf`), and the
 * classifier forgets what the decision taught it. Refused (409) when the
 * window has passed, the event was undone already, or the comment has been
 * decided again since (undo only takes back the latest word).
 * Events the principal may not see are `not_found`, like missing ones.
 */
export async function undoDecisions(
  db: DB,
  principal: Principal,
  eventIds: string[],
  now = new Date(),
): Promise<DecisionResult[]> {
  const ids = [...new Set(eventIds)];
  const events = await findModerationEvents(db, ids);
  const visible = events.filter((e) => principal.role === 'admin' || e.siteId === principal.siteId);
  if (visible.length !== ids.length)
    throw new AppError('not_found', 'no such decision', [{ path: 'eventId', message: 'no such decision' }]);

  for (const event of visible) {
    if (!DECISIONS.includes(event.action) || !event.fromStatus)
      throw new AppError('conflict', `decision ${event.id} is not a moderator decision and cannot be undone`);
    if (now.getTime() - event.createdAt.getTime() > UNDO_WINDOW_MS)
      throw new AppError(
        'conflict',
        `decision ${event.id} is older than ${UNDO_WINDOW_MS / 60_000} minutes and can no longer be undone`,
      );
    const later = await findEventAfter(db, event.commentId, event.id);
    if (later)
      throw new AppError(
        'conflict',
        later.undoOf === event.id
          ? `decision ${event.id} was undone already`
          : `comment ${event.commentId} was decided again after decision ${event.id}`,
      );
  }

  const results: DecisionResult[] = [];
  for (const event of visible) {
    const result = await decideComment(db, {
      principal,
      commentId: event.commentId,
      action: 'undo',
      to: event.fromStatus!,
      note: `undo of ${event.id}`,
      undoOf: event.id,
      expectStatus: event.toStatus,
    });
    if (result) results.push(result);
  }
  return results;
}

/** The latest decision on a comment that could still be undone, if any. */
export async function latestDecisionOf(db: DB, commentId: string): Promise<string | undefined> {
  const event = await findLatestEvent(db, commentId);
  return event && DECISIONS.includes(event.action) ? String(event.id) : undefined;
}
