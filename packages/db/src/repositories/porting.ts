import { sql } from 'kysely';
import type { DB } from '../connect.js';
import { insertUnlessExists } from './rows.js';
import type { CommentStatus } from '../schema.js';
import { selectCommentViews } from './comment-views.js';
import { findThread } from './threads.js';

// --- import -----------------------------------------------------------------
// An import runs in one transaction (`withTransaction`); these take it as `trx`.

/** Readies a transaction for a long import: no statement timeout, and the `import_new` table of the rows it adds. */
export async function prepareImport(trx: DB): Promise<void> {
  // An import may take minutes; the pool's per-statement timeout is for requests.
  await sql`set local statement_timeout = 0`.execute(trx);
  await sql`create temporary table import_new (id uuid primary key, scoped_parent uuid) on commit drop`.execute(trx);
}

/** Remembers rows this import added, with the scoped id of their parent (where a reply belongs if its parent moved). */
export async function recordImportedRows(
  trx: DB,
  rows: { id: string; scopedParentId: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`insert into import_new (id, scoped_parent)
        select * from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.scopedParentId)}::uuid[])
        on conflict do nothing`.execute(trx);
}

/** When each of these comments was written, by id (the ones that exist). */
export async function commentCreationTimes(trx: DB, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('comments').select(['id', 'createdAt']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.createdAt.getTime()]));
}

/** The thread's id, creating it when it is new (title, URL and closed only count then, as for new comments). */
export async function ensureThread(
  trx: DB,
  thread: { siteId: string; key: string; url: string | null; title: string | null; closed: boolean },
): Promise<string> {
  const created = await insertUnlessExists(trx, 'threads', thread, ['siteId', 'key']);
  if (created) return created;
  // Not inserted: it is there already.
  const existing = await findThread(trx, thread.siteId, thread.key);
  if (!existing) throw new Error(`thread ${thread.key} was neither inserted nor found`);
  return existing.id;
}

/**
 * Links the rows this import added (those in `import_new`) to their parents
 * and sets root and depth, in SQL, so memory stays flat however large the file.
 */
export async function linkImportedComments(trx: DB): Promise<void> {
  // A reply whose parent had to take its scoped id (its source id was taken in another post) hangs under that one.
  await sql`
      update comments c set parent_id = n.scoped_parent
      from import_new n
      where c.id = n.id and n.scoped_parent is not null and c.parent_id is distinct from n.scoped_parent
        and exists (select 1 from comments p where p.id = n.scoped_parent and p.thread_id = c.thread_id)`.execute(trx);
  // A parent that is not in this thread (or not anywhere) leaves the reply top-level.
  await sql`
      update comments c set parent_id = null, depth = 0
      from import_new n
      where c.id = n.id and c.parent_id is not null
        and not exists (select 1 from comments p where p.id = c.parent_id and p.thread_id = c.thread_id)`.execute(trx);
  // Walk down from every root (new top-level rows, and old rows that new replies hang under).
  await sql`
      with recursive tree (id, root_id, depth) as (
          select c.id, c.id, 0 from comments c join import_new n on n.id = c.id where c.parent_id is null
        union all
          select p.id, p.root_id, p.depth from comments p
          where p.id in (select c.parent_id from comments c join import_new n on n.id = c.id)
            and not exists (select 1 from import_new n where n.id = p.id)
        union all
          select c.id, tree.root_id, tree.depth + 1
          from tree join comments c on c.parent_id = tree.id
          join import_new n on n.id = c.id
      )
      update comments c set root_id = tree.root_id, depth = tree.depth
      from tree join import_new n on n.id = tree.id
      where c.id = tree.id`.execute(trx);
  // Rows never reached sit in a cycle of parents (a broken file): keep them, top-level.
  await sql`
      update comments c set parent_id = null, root_id = c.id, depth = 0
      from import_new n where c.id = n.id and c.depth = -1`.execute(trx);
}

// --- export -----------------------------------------------------------------

const EXPORT_PAGE = 1000;

/** A comment as an export writes it: the comment view's columns plus what a file needs to rebuild threads. */
function selectExportRows(db: DB) {
  return selectCommentViews(db).select(['comments.threadId', 'threads.closed as threadClosed', 'comments.decidedAt']);
}

export type ExportRow = Awaited<ReturnType<ReturnType<typeof selectExportRows>['executeTakeFirstOrThrow']>> & {
  status: CommentStatus;
};

/** Every comment of a site in pages (keyset, never OFFSET), in `order`; memory stays one page whatever the size. */
export async function* exportCommentRows(db: DB, siteId: string, order: 'time' | 'thread'): AsyncGenerator<ExportRow> {
  let after: { threadId: string; createdAt: Date; id: string } | undefined;
  for (;;) {
    let query = selectExportRows(db).where('comments.siteId', '=', siteId).limit(EXPORT_PAGE);
    if (order === 'thread') {
      query = query.orderBy('comments.threadId').orderBy('comments.createdAt').orderBy('comments.id');
      if (after)
        query = query.where(
          sql<boolean>`(comments.thread_id, comments.created_at, comments.id) > (${after.threadId}::uuid, ${after.createdAt}, ${after.id}::uuid)`,
        );
    } else {
      query = query.orderBy('comments.createdAt').orderBy('comments.id');
      if (after)
        query = query.where(sql<boolean>`(comments.created_at, comments.id) > (${after.createdAt}, ${after.id}::uuid)`);
    }
    const rows = await query.execute();
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < EXPORT_PAGE) return;
    after = { threadId: last.threadId, createdAt: last.createdAt, id: last.id };
  }
}
