import type { DB } from '../connect.js';
import type { Thread } from '../schema.js';

export async function findThread(db: DB, siteId: string, key: string): Promise<Thread | undefined> {
  return db.selectFrom('threads').selectAll().where('siteId', '=', siteId).where('key', '=', key).executeTakeFirst();
}

/** Finds the thread or creates it; `url` and `title` are only used when it is first seen. */
export async function findOrCreateThread(db: DB, input: { siteId: string; key: string; url?: string | null; title?: string | null }): Promise<Thread> {
  const existing = await findThread(db, input.siteId, input.key);
  if (existing) return existing;
  const created = await db
    .insertInto('threads')
    .values({ siteId: input.siteId, key: input.key, url: input.url ?? null, title: input.title ?? null })
    .onConflict((oc) => oc.columns(['siteId', 'key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  // A concurrent job created it between our select and insert.
  return created ?? (await findThread(db, input.siteId, input.key))!;
}

export async function setThreadClosed(db: DB, siteId: string, key: string, closed: boolean): Promise<Thread | undefined> {
  return db.updateTable('threads').set({ closed }).where('siteId', '=', siteId).where('key', '=', key).returningAll().executeTakeFirst();
}
