import { type DB, oldestPendingOf, recentDecisionFigures } from '@stammtisch/db';

export interface ModerationStats {
  oldestPendingAgeSeconds: number | null;
  /** Over the last 30 days' first decisions on held or spam-filed comments. */
  medianTimeToDecisionSeconds: number | null;
  /** Decisions (not undone) that overturned the spam stage, last 30 days. */
  overturned: { approvedAfterSpam: number; spamAfterApprove: number };
  decisionsLast30Days: number;
}

/** Moderation figures for `GET /v1/admin/sites/{id}/stats`, from the audit log. */
export async function moderationStats(db: DB, siteId: string): Promise<ModerationStats> {
  const [oldestAt, row] = await Promise.all([oldestPendingOf(db, siteId), recentDecisionFigures(db, siteId)]);
  return {
    oldestPendingAgeSeconds: oldestAt ? Math.max(0, Math.round((Date.now() - oldestAt.getTime()) / 1000)) : null,
    medianTimeToDecisionSeconds: row?.median == null ? null : Math.round(Number(row.median)),
    overturned: { approvedAfterSpam: row?.approvedAfterSpam ?? 0, spamAfterApprove: row?.spamAfterApprove ?? 0 },
    decisionsLast30Days: row?.decisions ?? 0,
  };
}
