import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../connect.js';
import type { ApiKey, KeyRole } from '../schema.js';

/** Keys are 256 random bits; the database only ever sees their SHA-256. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): string {
  return `stk_${randomBytes(32).toString('base64url')}`;
}

export async function createApiKey(
  db: DB,
  input: { siteId: string | null; role: KeyRole },
): Promise<{ id: string; key: string; record: ApiKey }> {
  const key = generateApiKey();
  const id = `key_${randomBytes(9).toString('base64url')}`;
  const record = await db
    .insertInto('apiKeys')
    .values({ id, siteId: input.siteId, role: input.role, keyHash: hashApiKey(key), keyPrefix: key.slice(0, 10) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id, key, record };
}

/** The active (not revoked) key with this secret, if any. */
export async function findActiveKey(db: DB, key: string): Promise<ApiKey | undefined> {
  return db
    .selectFrom('apiKeys')
    .selectAll()
    .where('keyHash', '=', hashApiKey(key))
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
}

export async function findKey(db: DB, id: string): Promise<ApiKey | undefined> {
  return db.selectFrom('apiKeys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A site's keys as the admin API lists them: the prefix, never the hash. */
export async function listKeys(db: DB, siteId: string) {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'role', 'keyPrefix as prefix', 'createdAt', 'revokedAt'])
    .where('siteId', '=', siteId)
    .orderBy('createdAt')
    .execute();
}

export async function revokeKey(db: DB, id: string): Promise<boolean> {
  const result = await db
    .updateTable('apiKeys')
    .set({ revokedAt: new Date() })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
