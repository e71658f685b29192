import { sql } from 'kysely';
import type { DB } from '../connect.js';
import { insertUnlessExists } from './rows.js';

export interface NewReaderReport {
  siteId: string;
  commentId: string;
  reason: 'spam' | 'abuse' | 'off_topic' | 'other';
  note: string | null;
  reporterIpHash: string | null;
  createdAt: Date;
}

/**
 * Records a reader's report and counts it on the comment. One report per
 * reader (hashed IP) and comment counts; a report of a comment that is
 * unknown or on another site is dropped. Returns whether it was recorded.
 */
export async function recordReaderReport(db: DB, report: NewReaderReport): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comments')
      .select(['id', 'siteId'])
      .where('id', '=', report.commentId)
      .executeTakeFirst();
    if (!comment || comment.siteId !== report.siteId) return false;
    if (!(await insertUnlessExists(trx, 'reports', report, ['commentId', 'reporterIpHash']))) return false;
    await trx
      .updateTable('comments')
      .set({ reportCount: sql`report_count + 1` })
      .where('id', '=', report.commentId)
      .execute();
    return true;
  });
}
