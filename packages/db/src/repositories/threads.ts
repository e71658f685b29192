import { sql } from 'kysely';
import type { DB } from '../connect.js';
import type { Thread } from '../schema.js';

export async function findThread(db: DB, siteId: string, key: string): Promise<Thread | undefined> {
  return db.selectFrom('threads').selectAll().where('siteId', '=', siteId).where('key', '=', key).executeTakeFirst();
}

/** Finds the thread or creates it; `url` and `title` are only used when it is first seen. */
export async function findOrCreateThread(
  db: DB,
  input: { siteId: string; key: string; url?: string | null; title?: string | null },
): Promise<Thread> {
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

export async function setThreadClosed(
  db: DB,
  siteId: string,
  key: string,
  closed: boolean,
): Promise<Thread | undefined> {
  return db
    .updateTable('threads')
    .set({ closed })
    .where('siteId', '=', siteId)
    .where('key', '=', key)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Finds or creates many threads in one statement (a batch of comments):
 * missing ones are inserted, `url` and `title` kept only when first seen.
 * Returns every thread asked for, keyed `siteId + "\u0000" + key`.
 */
export async function findOrCreateThreads(
  db: DB,
  inputs: Array<{ siteId: string; key: string; url?: string | null; title?: string | null }>,
): Promise<Map<string, Thread>> {
  const found = new Map<string, Thread>();
  if (inputs.length === 0) return found;
  const result = await sql<Thread>`
    with input as (
      select distinct on (site_id, key) site_id, key, url, title
      from unnest(${inputs.map((i) => i.siteId)}::text[], ${inputs.map((i) => i.key)}::text[],
                  ${inputs.map((i) => i.url ?? null)}::text[], ${inputs.map((i) => i.title ?? null)}::text[]) as i(site_id, key, url, title)
    ), created as (
      insert into threads (site_id, key, url, title) select site_id, key, url, title from input
      on conflict (site_id, key) do nothing returning *
    )
    select * from created
    union all
    select t.* from threads t join input i on t.site_id = i.site_id and t.key = i.key`.execute(db);
  for (const thread of result.rows) found.set(`${thread.siteId}\u0000${thread.key}`, thread);
  return found;
}
