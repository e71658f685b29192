import { sql } from 'kysely';
import type { DB } from '../connect.js';
import { AUTHOR_RECORD_LIMIT } from './comment-context.js';

/** Whether the address was proven on this site through a one-time link. */
export async function isEmailVerified(db: DB, siteId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('verifiedEmails')
    .select('email')
    .where('siteId', '=', siteId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A signed-in author's record on a site, by identity (issuer + subject): the
 * email a reader types proves nothing, the identity does.
 */
export async function identityHistory(
  db: DB,
  input: { siteId: string; issuer: string; subject: string },
): Promise<{ approved: number; spam: number; rejected: number }> {
  // Bounded like every worker look-up: the account's latest AUTHOR_RECORD_LIMIT comments.
  const latest = db
    .selectFrom('comments')
    .select('status')
    .where('siteId', '=', input.siteId)
    .where('authorIdentity', 'is not', null)
    .where(sql<string>`author_identity->>'issuer'`, '=', input.issuer)
    .where(sql<string>`author_identity->>'subject'`, '=', input.subject)
    .orderBy('createdAt', 'desc')
    .limit(AUTHOR_RECORD_LIMIT)
    .as('latest');
  const row = await db
    .selectFrom(latest)
    .select([
      sql<number>`count(*) filter (where status = 'approved')`.as('approved'),
      sql<number>`count(*) filter (where status = 'spam')`.as('spam'),
      sql<number>`count(*) filter (where status = 'rejected')`.as('rejected'),
    ])
    .executeTakeFirstOrThrow();
  return { approved: Number(row.approved), spam: Number(row.spam), rejected: Number(row.rejected) };
}

/** The identity bans of a site, as `issuer|subject` (the value ingest's Redis set holds). */
export async function listIdentityBans(db: DB, siteId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('bans')
    .select('value')
    .where('siteId', '=', siteId)
    .where('kind', '=', 'identity')
    .execute();
  return rows.map((r) => r.value);
}

/**
 * The provider of a signed-in author on this site who goes by `name`
 * (case-insensitive), if any: an anonymous comment under that name is
 * someone else using it.
 */
export async function identityUsingName(db: DB, siteId: string, name: string): Promise<string | null> {
  const row = await db
    .selectFrom('comments')
    .select(sql<string>`author_identity->>'provider'`.as('provider'))
    .where('siteId', '=', siteId)
    .where('authorIdentity', 'is not', null)
    .where(sql<string>`lower(author_name)`, '=', name.trim().toLowerCase())
    .limit(1)
    .executeTakeFirst();
  return row?.provider ?? null;
}
