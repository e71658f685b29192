import { type Insertable, sql } from 'kysely';
import type { DB } from '../connect.js';
import type { IdentityProvider, IdentityProviderTable } from '../schema.js';

/** A provider by id; with `siteId`, only when it belongs to that site. */
export async function findIdentityProvider(db: DB, id: string, siteId?: string): Promise<IdentityProvider | undefined> {
  let q = db.selectFrom('identityProviders').selectAll().where('id', '=', id);
  if (siteId !== undefined) q = q.where('siteId', '=', siteId);
  return q.executeTakeFirst();
}

/** A site's providers, oldest first (the order the widget shows their buttons in). */
export async function listIdentityProviders(db: DB, siteId: string): Promise<IdentityProvider[]> {
  return db.selectFrom('identityProviders').selectAll().where('siteId', '=', siteId).orderBy('createdAt').execute();
}

export async function insertIdentityProvider(
  db: DB,
  provider: Insertable<IdentityProviderTable>,
): Promise<IdentityProvider> {
  return db.insertInto('identityProviders').values(provider).returningAll().executeTakeFirstOrThrow();
}

export async function deleteIdentityProvider(db: DB, id: string): Promise<void> {
  await db.deleteFrom('identityProviders').where('id', '=', id).execute();
}

/** Erasure of a signed-in identity: its comments stay but lose the name, link, email and account reference. Returns how many. */
export async function eraseIdentityComments(
  db: DB,
  input: { siteId: string; issuer: string; subject: string },
): Promise<number> {
  const result = await db
    .updateTable('comments')
    .set({ authorName: '[deleted]', authorUrl: null, authorEmail: null, authorIdentity: null })
    .where('siteId', '=', input.siteId)
    .where('authorIdentity', 'is not', null)
    .where(sql<string>`author_identity->>'issuer'`, '=', input.issuer)
    .where(sql<string>`author_identity->>'subject'`, '=', input.subject)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Stores a one-time email link (only its hash). */
export async function insertEmailVerification(
  db: DB,
  input: { siteId: string; email: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insertInto('emailVerifications').values(input).execute();
}

/**
 * Uses a one-time email link: marks it used and records the address as
 * verified. One statement marks it, so two clicks at once verify once.
 * Returns false for an unknown, used or expired link.
 */
export async function useEmailVerification(db: DB, tokenHash: string): Promise<boolean> {
  const used = await db
    .updateTable('emailVerifications')
    .set({ usedAt: new Date() })
    .where('tokenHash', '=', tokenHash)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', new Date())
    .returning(['siteId', 'email'])
    .executeTakeFirst();
  if (!used) return false;
  await db
    .insertInto('verifiedEmails')
    .values({ siteId: used.siteId, email: used.email })
    .onConflict((oc) => oc.columns(['siteId', 'email']).doNothing())
    .execute();
  return true;
}
