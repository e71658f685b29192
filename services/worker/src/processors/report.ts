import type { ReportJob } from '@stammtisch/contract';
import { type DB, recordReaderReport } from '@stammtisch/db';

/**
 * Records a reader's report. One report per reader (hashed IP) and comment
 * counts; reports of comments that are unknown or on another site are dropped.
 */
export function processReport(db: DB, job: ReportJob): Promise<boolean> {
  return recordReaderReport(db, {
    siteId: job.siteId,
    commentId: job.commentId,
    reason: job.reason,
    note: job.note ?? null,
    reporterIpHash: job.ipHash ?? null,
    createdAt: new Date(job.receivedAt),
  });
}
