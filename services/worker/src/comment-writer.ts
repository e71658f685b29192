import { type DB, type NewComment, insertComment } from '@stammtisch/db';

interface Pending {
  comment: NewComment;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes comments for concurrent jobs in shared multi-row INSERTs (group
 * commit): when no write is in flight a comment goes at once, otherwise it
 * waits for the one in flight and joins the next batch. So an idle worker adds
 * no latency and a busy one makes one round trip for many jobs instead of
 * one each. Each promise says whether that comment's row was new, as
 * `insertComment` does (ON CONFLICT (id) DO NOTHING).
 */
export function createCommentWriter(db: DB, options: { maxBatch?: number } = {}) {
  const maxBatch = options.maxBatch ?? 100;
  let waiting: Pending[] = [];
  let inFlight = false;

  async function writeBatch(batch: Pending[]): Promise<void> {
    try {
      const rows = await db
        .insertInto('comments')
        .values(batch.map(({ comment }) => ({ ...comment, reasons: JSON.stringify(comment.reasons ?? []) })))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      const inserted = new Set(rows.map((row) => row.id));
      for (const pending of batch) {
        // The same id twice in one batch (a job run twice at once): only the first was new.
        pending.resolve(inserted.delete(pending.comment.id));
      }
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One bad row (say, its thread just deleted) must not fail its neighbours: one by one, only it fails.
      await Promise.all(batch.map((pending) => insertComment(db, pending.comment).then(pending.resolve, pending.reject)));
    }
  }

  async function pump(): Promise<void> {
    inFlight = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      await writeBatch(batch);
    }
    inFlight = false;
  }

  return {
    write(comment: NewComment): Promise<boolean> {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ comment, resolve, reject });
        if (!inFlight) void pump();
      });
    },
  };
}
export type CommentWriter = ReturnType<typeof createCommentWriter>;
