import { type RawBuilder, sql } from 'kysely';
import type { DB } from '../connect.js';
import type { CommentStatus } from '../schema.js';

/**
 * Every look-up is bounded whatever a site's past holds: windows in time
 * (bursts 10 minutes, duplicates 24 hours), and an author's record is their
 * latest RECORD_LIMIT comments. Counts stop at COUNT_CAP (the checks' highest
 * threshold is 20), so 100k comments from one address cost what 100 do. Each
 * sub-select is served by an index on (site_id, key, created_at), walked
 * newest first: the `order by created_at desc` keeps the planner on it even
 * when one address holds most of a site's rows (a seq scan "expecting" early
 * matches was its first choice, and read the whole table).
 */
export const AUTHOR_RECORD_LIMIT = 100;
export const CONTEXT_COUNT_CAP = 100;

/** What the worker needs to know about one incoming comment, beyond its site. */
export interface CommentContextInput {
  siteId: string;
  /** Lower-cased by the caller or not: it is lower-cased here. */
  email: string | null;
  ipHash: string | null;
  bodyHash: string;
  /** The comment's receivedAt: windows end here. */
  at: Date;
  parentId: string | null;
  identity: { issuer: string; subject: string } | null;
  /** The typed name; asked only for anonymous comments ("is it a signed-in author's name?"). */
  name: string;
}

export interface AuthorRecord {
  approved: number;
  spam: number;
  rejected: number;
}

export interface CommentContextRow {
  /** By email (anonymous) or by identity (signed in); the latest AUTHOR_RECORD_LIMIT comments. */
  authorHistory: AuthorRecord;
  /** Same body on the site in the 24 hours before `at` (capped). */
  recentDuplicates: number;
  /** Comments in the 10 minutes before `at` (capped). */
  burst: { sameIp: number; sameEmail: number };
  /** The email was proven on this site by a one-time link. */
  emailVerified: boolean;
  /** The provider of a signed-in author who uses this name, for anonymous comments. */
  nameOwner: string | null;
  parent: { id: string; threadId: string; rootId: string; depth: number; status: CommentStatus } | null;
}

/**
 * The context of many comments in one statement (one round trip for a whole
 * batch): the inputs go in as arrays, each row's look-ups run as bounded
 * sub-selects. Results come back in input order.
 */
export async function loadCommentContexts(db: DB, inputs: CommentContextInput[]): Promise<CommentContextRow[]> {
  if (inputs.length === 0) return [];
  const col = <T>(pick: (input: CommentContextInput) => T) => inputs.map(pick);
  const result = await sql<{
    ord: string;
    approved: number;
    spam: number;
    rejected: number;
    duplicates: number;
    sameIp: number;
    sameEmail: number;
    emailVerified: boolean;
    nameOwner: string | null;
    parentId: string | null;
    parentThreadId: string | null;
    parentRootId: string | null;
    parentDepth: number | null;
    parentStatus: CommentStatus | null;
  }>`
    select i.ord,
      coalesce(h.approved, 0)::int as approved, coalesce(h.spam, 0)::int as spam, coalesce(h.rejected, 0)::int as rejected,
      (select count(*) from (select 1 from comments c
         where c.site_id = i.site_id and c.body_hash = i.body_hash and c.created_at > i.at - interval '24 hours'
         order by c.created_at desc limit ${CONTEXT_COUNT_CAP}) d)::int as duplicates,
      case when i.ip_hash is null then 0 else (select count(*) from (select 1 from comments c
         where c.site_id = i.site_id and c.author_ip_hash is not null and c.author_ip_hash = i.ip_hash
           and c.created_at > i.at - interval '10 minutes'
         order by c.created_at desc limit ${CONTEXT_COUNT_CAP}) d) end::int as same_ip,
      case when i.email is null then 0 else (select count(*) from (select 1 from comments c
         where c.site_id = i.site_id and lower(c.author_email) = i.email and c.author_email is not null
           and c.created_at > i.at - interval '10 minutes'
         order by c.created_at desc limit ${CONTEXT_COUNT_CAP}) d) end::int as same_email,
      (i.issuer is null and i.email is not null
         and exists (select 1 from verified_emails v where v.site_id = i.site_id and v.email = i.email)) as email_verified,
      case when i.issuer is null then (select c.author_identity->>'provider' from comments c
         where c.site_id = i.site_id and c.author_identity is not null and lower(c.author_name) = i.name_lower limit 1) end as name_owner,
      p.id as parent_id, p.thread_id as parent_thread_id, p.root_id as parent_root_id, p.depth as parent_depth, p.status as parent_status
    from unnest(
      ${col((i) => i.siteId)}::text[], ${col((i) => i.email?.toLowerCase() ?? null)}::text[], ${col((i) => i.ipHash)}::text[],
      ${col((i) => i.bodyHash)}::text[], ${col((i) => i.at.toISOString())}::timestamptz[], ${col((i) => i.parentId)}::uuid[],
      ${col((i) => i.identity?.issuer ?? null)}::text[], ${col((i) => i.identity?.subject ?? null)}::text[],
      ${col((i) => i.name.trim().toLowerCase())}::text[]
    ) with ordinality as i(site_id, email, ip_hash, body_hash, at, parent_id, issuer, subject, name_lower, ord)
    left join lateral ${authorRecord(sql`
      i.issuer is not null and c.site_id = i.site_id and c.author_identity is not null
        and c.author_identity->>'issuer' = i.issuer and c.author_identity->>'subject' = i.subject`)} hi on i.issuer is not null
    left join lateral ${authorRecord(sql`
      i.issuer is null and i.email is not null and c.site_id = i.site_id
        and lower(c.author_email) = i.email and c.author_email is not null`)} he on i.issuer is null
    cross join lateral (select coalesce(hi.approved, he.approved) as approved, coalesce(hi.spam, he.spam) as spam,
                               coalesce(hi.rejected, he.rejected) as rejected) h
    left join comments p on p.id = i.parent_id
    order by i.ord`.execute(db);
  return result.rows.map((row) => ({
    authorHistory: { approved: Number(row.approved), spam: Number(row.spam), rejected: Number(row.rejected) },
    recentDuplicates: Number(row.duplicates),
    burst: { sameIp: Number(row.sameIp), sameEmail: Number(row.sameEmail) },
    emailVerified: Boolean(row.emailVerified),
    nameOwner: row.nameOwner,
    parent:
      row.parentId && row.parentThreadId && row.parentRootId && row.parentStatus
        ? {
            id: row.parentId,
            threadId: row.parentThreadId,
            rootId: row.parentRootId,
            depth: Number(row.parentDepth),
            status: row.parentStatus,
          }
        : null,
  }));
}

/** An author's record: how their latest AUTHOR_RECORD_LIMIT comments (those matching `byAuthor`) were decided. */
function authorRecord(byAuthor: RawBuilder<unknown>) {
  return sql`(
      select count(*) filter (where r.status = 'approved') as approved,
             count(*) filter (where r.status = 'spam') as spam,
             count(*) filter (where r.status = 'rejected') as rejected
      from (
        select c.status from comments c
        where ${byAuthor}
        order by c.created_at desc limit ${AUTHOR_RECORD_LIMIT}
      ) r
    )`;
}
