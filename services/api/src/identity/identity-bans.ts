import { type DB, listIdentityBans } from '@stammtisch/db';
import { identityBanKey } from '@stammtisch/comments';
import type { Redis } from 'ioredis';

/** Rebuilds a site's identity-ban set in Redis from Postgres (the truth); ingest reads it on every signed-in comment. */
export async function syncIdentityBans(db: DB, redis: Redis, prefix: string, siteId: string): Promise<void> {
  const values = await listIdentityBans(db, siteId);
  const key = identityBanKey(prefix, siteId);
  const multi = redis.multi().del(key);
  if (values.length) multi.sadd(key, ...values);
  await multi.exec();
}
