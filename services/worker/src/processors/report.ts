import type { DB } from '@stammtisch/db';
import type { ReportJob } from '@stammtisch/contract';
import { sql } from 'kysely';

/**
 * Records a reader's report. One report per reader (hashed IP) and comment
 * counts; reports of comments that are unknown or on another site are dropped.
 */
export async function processReport(db: DB, job: ReportJob): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const comment = await trx.selectFrom('comments').select(['id', 'siteId']).where('id', '=', job.commentId).executeTakeFirst();
    if (!comment || comment.siteId !== job.siteId) return false;
    const inserted = await trx
      .insertInto('reports')
      .values({
        siteId: job.siteId,
        commentId: job.commentId,
        reason: job.reason,
        note: job.note ?? null,
        reporterIpHash: job.ipHash ?? null,
        createdAt: new Date(job.receivedAt),
      })
      .onConflict((oc) => oc.columns(['commentId', 'reporterIpHash']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    await trx.updateTable('comments').set({ reportCount: sql`report_count + 1` }).where('id', '=', job.commentId).execute();
    return true;
  });
}
