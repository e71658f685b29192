import type { DB } from '@stammtisch/db';
import { sql } from 'kysely';

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
  const [oldest, decided] = await Promise.all([
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.min('createdAt').as('oldest'))
      .where('siteId', '=', siteId)
      .where('status', '=', 'pending')
      .executeTakeFirst(),
    // CamelCasePlugin turns the snake_case aliases into camelCase keys.
    sql<{ median: number | null; approvedAfterSpam: number; spamAfterApprove: number; decisions: number }>`
      select
        percentile_cont(0.5) within group (order by extract(epoch from e.created_at - c.created_at))
          filter (where e.from_status in ('pending', 'spam')) as median,
        count(*) filter (where e.from_status = 'spam' and e.to_status = 'approved')::int as approved_after_spam,
        count(*) filter (where e.from_status = 'approved' and e.to_status = 'spam')::int as spam_after_approve,
        count(*)::int as decisions
      from moderation_events e
      join comments c on c.id = e.comment_id
      where e.site_id = ${siteId}
        and e.action in ('approve', 'reject', 'spam')
        and e.created_at > now() - interval '30 days'
        and not exists (select 1 from moderation_events u where u.undo_of = e.id)`.execute(db),
  ]);
  const row = decided.rows[0];
  const oldestAt = oldest?.oldest ? new Date(oldest.oldest as Date) : null;
  return {
    oldestPendingAgeSeconds: oldestAt ? Math.max(0, Math.round((Date.now() - oldestAt.getTime()) / 1000)) : null,
    medianTimeToDecisionSeconds: row?.median == null ? null : Math.round(Number(row.median)),
    overturned: { approvedAfterSpam: row?.approvedAfterSpam ?? 0, spamAfterApprove: row?.spamAfterApprove ?? 0 },
    decisionsLast30Days: row?.decisions ?? 0,
  };
}
