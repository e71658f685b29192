import type { DB } from '../connect.js';

export interface VoteResult {
  up: number;
  down: number;
  threadKey: string;
}

/**
 * Records one reader's vote on a public comment of the site (value 0 takes
 * it back) and keeps the comment's counters in the same transaction, so a
 * thread read never aggregates votes. Returns undefined when the comment is
 * not public on this site. One row per reader and comment: voting twice
 * changes the vote, never adds one.
 */
export async function castVote(
  db: DB,
  input: { siteId: string; commentId: string; voter: string; value: -1 | 0 | 1 },
): Promise<VoteResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comments')
      .innerJoin('threads', 'threads.id', 'comments.threadId')
      .select(['comments.id', 'threads.key as threadKey'])
      .where('comments.id', '=', input.commentId)
      .where('comments.siteId', '=', input.siteId)
      .where('comments.status', '=', 'approved')
      .where('comments.deletedAt', 'is', null)
      // The row lock orders concurrent votes on one comment, so the counters stay exact.
      .forUpdate('comments')
      .executeTakeFirst();
    if (!comment) return undefined;
    const before = await trx
      .selectFrom('commentVotes')
      .select('value')
      .where('commentId', '=', input.commentId)
      .where('voter', '=', input.voter)
      .executeTakeFirst();
    const old = before?.value ?? 0;
    if (input.value === 0) {
      if (before)
        await trx
          .deleteFrom('commentVotes')
          .where('commentId', '=', input.commentId)
          .where('voter', '=', input.voter)
          .execute();
    } else if (old !== input.value) {
      await trx
        .insertInto('commentVotes')
        .values({ commentId: input.commentId, voter: input.voter, value: input.value })
        .onConflict((oc) => oc.columns(['commentId', 'voter']).doUpdateSet({ value: input.value }))
        .execute();
    }
    const upDelta = (input.value === 1 ? 1 : 0) - (old === 1 ? 1 : 0);
    const downDelta = (input.value === -1 ? 1 : 0) - (old === -1 ? 1 : 0);
    const counts = await trx
      .updateTable('comments')
      // updated_at moves on, so live streams and their replay carry the new counts.
      .set((eb) => ({
        votesUp: eb('votesUp', '+', upDelta),
        votesDown: eb('votesDown', '+', downDelta),
        updatedAt: new Date(),
      }))
      .where('id', '=', input.commentId)
      .returning(['votesUp', 'votesDown'])
      .executeTakeFirstOrThrow();
    return { up: counts.votesUp, down: counts.votesDown, threadKey: comment.threadKey };
  });
}
