import { sql } from 'kysely';
import type { SeriesPoint, StatsBucket } from '@stammtisch/contract';
import type { DB } from '../connect.js';

export type { SeriesPoint, StatsBucket };

/**
 * Per-bucket comment outcomes and filter overrides of one site in [from, to),
 * every bucket present (zeros where nothing happened). Buckets are UTC.
 * A comment's first status is the `from_status` of its first moderation
 * event, or its status now when no moderator touched it.
 */
export async function commentSeries(
  db: DB,
  input: { siteId: string; from: Date; to: Date; bucket: StatsBucket },
): Promise<SeriesPoint[]> {
  const step = input.bucket === 'hour' ? '1 hour' : '1 day';
  const rows = await sql<Omit<SeriesPoint, 't'> & { t: Date }>`
    with buckets as (
      select generate_series(date_trunc(${input.bucket}, ${input.from}::timestamptz, 'UTC'), ${input.to}::timestamptz - interval '1 microsecond', ${step}::interval) as t
    ),
    written as (
      select date_trunc(${input.bucket}, c.created_at, 'UTC') as t,
        count(*) filter (where c.status = 'approved')::int as approved,
        count(*) filter (where c.status = 'pending')::int as held,
        count(*) filter (where c.status = 'spam')::int as spam,
        count(*) filter (where c.status = 'rejected')::int as rejected,
        count(*) filter (where coalesce(first.from_status, c.status) = 'spam')::int as filtered_spam
      from comments c
      left join lateral (select e.from_status from moderation_events e where e.comment_id = c.id order by e.id limit 1) first on true
      where c.site_id = ${input.siteId} and c.created_at >= ${input.from} and c.created_at < ${input.to}
      group by 1
    ),
    overruled as (
      select date_trunc(${input.bucket}, e.created_at, 'UTC') as t,
        count(*) filter (where e.from_status = 'spam' and e.to_status = 'approved')::int as false_positives,
        count(*) filter (where e.from_status = 'approved' and e.to_status = 'spam')::int as false_negatives
      from moderation_events e
      where e.site_id = ${input.siteId} and e.created_at >= ${input.from} and e.created_at < ${input.to}
        and e.action in ('approve', 'reject', 'spam')
        and not exists (select 1 from moderation_events u where u.undo_of = e.id)
      group by 1
    )
    select b.t,
      coalesce(w.approved, 0) as approved, coalesce(w.held, 0) as held, coalesce(w.spam, 0) as spam, coalesce(w.rejected, 0) as rejected,
      coalesce(o.false_positives, 0) + coalesce(o.false_negatives, 0) as overrides,
      coalesce(o.false_positives, 0) as false_positives, coalesce(o.false_negatives, 0) as false_negatives,
      coalesce(w.filtered_spam, 0) as filtered_spam
    from buckets b left join written w on w.t = b.t left join overruled o on o.t = b.t
    order by b.t`.execute(db);
  return rows.rows.map((r) => ({ ...r, t: new Date(r.t).toISOString() }));
}

/** Upper bounds (seconds) of the held-queue age buckets; the last is open. */
export const HELD_AGE_BOUNDS = [3600, 6 * 3600, 24 * 3600, 3 * 24 * 3600, null] as const;

/** How long the comments held now have been waiting, counted into `HELD_AGE_BOUNDS`. */
export async function heldAges(db: DB, siteId: string): Promise<Array<{ maxSeconds: number | null; n: number }>> {
  const row = await sql<{ a: number; b: number; c: number; d: number; e: number }>`
    select
      count(*) filter (where age < 3600)::int as a,
      count(*) filter (where age >= 3600 and age < 21600)::int as b,
      count(*) filter (where age >= 21600 and age < 86400)::int as c,
      count(*) filter (where age >= 86400 and age < 259200)::int as d,
      count(*) filter (where age >= 259200)::int as e
    from (select extract(epoch from now() - created_at) as age from comments where site_id = ${siteId} and status = 'pending') held`.execute(
    db,
  );
  const r = row.rows[0] ?? { a: 0, b: 0, c: 0, d: 0, e: 0 };
  return [r.a, r.b, r.c, r.d, r.e].map((n, i) => ({ maxSeconds: HELD_AGE_BOUNDS[i] ?? null, n }));
}

/** The checks that most often spoke against comments held or filed as spam in [from, to). */
export async function topReasons(
  db: DB,
  input: { siteId: string; from: Date; to: Date; limit?: number },
): Promise<Array<{ check: string; n: number }>> {
  const rows = await sql<{ check: string; n: number }>`
    select r->>'check' as "check", count(*)::int as n
    from comments c, jsonb_array_elements(c.reasons) r
    where c.site_id = ${input.siteId} and c.created_at >= ${input.from} and c.created_at < ${input.to}
      and c.status in ('pending', 'spam')
      and coalesce((r->>'weight')::float8, 0) >= 0
      and r->>'check' is not null
    group by 1
    order by n desc, "check"
    limit ${input.limit ?? 8}`.execute(db);
  return rows.rows;
}
