import { createHash } from 'node:crypto';
import type { Database, NewComment } from '@stammtisch/db';
import { normalizeBody } from '@stammtisch/spam';
import { type Transaction, sql } from 'kysely';
import { type ImportedComment, ImportError, type ReadEntry, type SkippedEntry, importedCommentId } from './model.js';

/** Rows per INSERT: big enough to be fast, small enough for Postgres' 65,535 parameters (18 columns × 500). */
export const IMPORT_BATCH_SIZE = 500;

/** At most this many skipped entries are listed one by one (a re-import of a big file skips every comment); the rest are counted. */
export const MAX_LISTED_SKIPS = 10_000;

export interface ImportCounts {
  imported: number;
  skipped: number;
  skippedEntries: SkippedEntry[];
  /** Only when more entries were skipped than listed. */
  skippedEntriesNotListed?: number;
}

/** What the writer remembers of a row until Postgres has taken it. */
interface RowMeta {
  line: number | null;
  element: string | null;
  sourceId: string;
  /** The id this comment gets when its own is taken by another comment (the source's id repeated in another post). */
  scopedId: string | null;
  /** The parent's scoped id: where a reply belongs when its parent had to take its scoped id. */
  scopedParentId: string | null;
  scope: string;
}

/**
 * Writes imported comments in batches inside the caller's transaction.
 * Replies are written with their parent's id as the file names it, even when
 * the parent comes later in the file; `finish` then checks every link and
 * sets root and depth for the rows this import added, in SQL, so memory
 * stays flat however large the file.
 */
export class ImportWriter {
  private batch: NewComment[] = [];
  private metas: RowMeta[] = [];
  private readonly threads = new Map<string, string>();
  private imported = 0;
  private skipped = 0;
  private readonly skippedEntries: SkippedEntry[] = [];
  private prepared = false;
  /** The batch being written while the reader parses the next one (at most one in flight). */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly siteId: string,
    /** Scopes source ids: two WordPress blogs both have a comment 1. */
    private readonly source: string,
    /** A bad entry refuses the file instead of being skipped. */
    private readonly strict = false,
  ) {}

  /** Counts and lists a skipped entry; with `strict`, a bad one ends the import (and the transaction). */
  skip(entry: SkippedEntry, bad: boolean): void {
    if (bad && this.strict) throw new ImportError(entry.reason, entry.line ?? undefined, entry.element ?? undefined);
    this.skipped++;
    if (this.skippedEntries.length < MAX_LISTED_SKIPS) this.skippedEntries.push(entry);
  }

  async add(entry: ReadEntry): Promise<void> {
    if (entry.skip) {
      const { skip: _skip, bad, ...listed } = entry;
      this.skip(listed, bad);
      return;
    }
    const comment: ImportedComment = entry;
    await this.prepare();
    const id = comment.keepId ?? importedCommentId(this.siteId, this.source, comment.sourceId);
    const parentId =
      comment.keepId !== undefined
        ? (comment.keepParentId ?? null)
        : comment.parentSourceId
          ? importedCommentId(this.siteId, this.source, comment.parentSourceId)
          : null;
    this.batch.push({
      id,
      siteId: this.siteId,
      threadId: await this.threadId(comment.thread),
      parentId: parentId === id ? null : parentId,
      rootId: id,
      // -1 marks "not linked yet" until finish() walks the tree.
      depth: parentId && parentId !== id ? -1 : 0,
      authorName: comment.author.name,
      authorEmail: comment.author.email,
      authorUrl: comment.author.url,
      authorIpHash: null,
      authorIdentity: null,
      body: comment.body,
      bodyHash: createHash('sha256').update(normalizeBody(comment.body)).digest('base64url'),
      html: comment.html,
      status: comment.status,
      score: 0,
      reasons: JSON.stringify([{ check: 'import', weight: 0, detail: `Imported (${this.source.split(':')[0]})${comment.note ? `; ${comment.note}` : ''}` }]),
      createdAt: comment.createdAt,
      decidedAt: comment.status === 'pending' ? null : comment.createdAt,
    });
    const scoped = (sourceId: string) => importedCommentId(this.siteId, this.source, `${comment.scope}\u0000${sourceId}`);
    this.metas.push({
      line: comment.line,
      element: comment.element,
      sourceId: comment.sourceId,
      scope: comment.scope,
      scopedId: comment.keepId === undefined ? scoped(comment.sourceId) : null,
      scopedParentId: comment.keepId === undefined && comment.parentSourceId ? scoped(comment.parentSourceId) : null,
    });
    if (this.batch.length >= IMPORT_BATCH_SIZE) await this.flush();
  }

  /** Hands the batch to Postgres and returns once the previous one is written, so parsing and writing overlap. */
  private async flush(): Promise<void> {
    const previous = this.inFlight;
    if (this.batch.length > 0) {
      const rows = this.batch;
      const metas = this.metas;
      this.batch = [];
      this.metas = [];
      // Awaited below or on the next flush; the catch only keeps an early failure from counting as unhandled.
      this.inFlight = previous.then(() => this.write(rows, metas));
      this.inFlight.catch(() => {});
    }
    await previous;
  }

  /** Waits for the batch in flight, whatever its outcome, so nothing runs on the transaction after it is rolled back. */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => {});
  }

  /** Links replies to their parents, sets root and depth, and returns the counts. */
  async finish(): Promise<ImportCounts> {
    await this.flush();
    await this.inFlight;
    if (!this.prepared) return this.counts();
    const trx = this.trx;
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
    return this.counts();
  }

  private counts(): ImportCounts {
    const notListed = this.skipped - this.skippedEntries.length;
    return {
      imported: this.imported,
      skipped: this.skipped,
      // Entries found while writing come after those found while reading: list them in file order.
      skippedEntries: this.skippedEntries.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER)),
      ...(notListed > 0 && { skippedEntriesNotListed: notListed }),
    };
  }

  private async prepare(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    // An import may take minutes; the pool's per-statement timeout is for requests.
    await sql`set local statement_timeout = 0`.execute(this.trx);
    await sql`create temporary table import_new (id uuid primary key, scoped_parent uuid) on commit drop`.execute(this.trx);
  }

  /**
   * Inserts a batch; a row whose id is taken is either this very comment from
   * an earlier import (same date: nothing to add) or another comment that
   * reuses the source id (WordPress ids repeated in another post): that one
   * is written again under its id scoped by its post, so it is not lost.
   */
  private async write(rows: NewComment[], metas: RowMeta[]): Promise<void> {
    const taken = await this.insert(rows, metas);
    if (taken.length === 0) return;
    const existing = await this.createdAtOf(taken.map((i) => rows[i]!.id));
    const retry: number[] = [];
    for (const i of taken) {
      const row = rows[i]!;
      const meta = metas[i]!;
      const other = existing.get(row.id);
      if (!meta.scopedId || other === undefined || other === (row.createdAt as Date).getTime()) {
        this.skip({ line: meta.line, element: meta.element, sourceId: meta.sourceId, reason: 'already imported' }, false);
        continue;
      }
      row.id = meta.scopedId;
      row.rootId = meta.scopedId;
      if (row.parentId === row.id) {
        row.parentId = null;
        row.depth = 0;
      }
      retry.push(i);
    }
    if (retry.length === 0) return;
    const retryRows = retry.map((i) => rows[i]!);
    const retryMetas = retry.map((i) => metas[i]!);
    const stillTaken = await this.insert(retryRows, retryMetas);
    if (stillTaken.length === 0) return;
    const again = await this.createdAtOf(stillTaken.map((i) => retryRows[i]!.id));
    for (const i of stillTaken) {
      const meta = retryMetas[i]!;
      const same = again.get(retryRows[i]!.id) === (retryRows[i]!.createdAt as Date).getTime();
      this.skip(
        {
          line: meta.line,
          element: meta.element,
          sourceId: meta.sourceId,
          reason: same ? 'already imported' : `another comment in the same post (${meta.scope.slice(0, 80)}) has this id`,
        },
        !same,
      );
    }
  }

  /** Inserts rows (ON CONFLICT DO NOTHING) and returns the indexes of those whose id was taken. */
  private async insert(all: NewComment[], allMetas: RowMeta[]): Promise<number[]> {
    // An id twice in one batch (a source id repeated close by): only the first goes in; the others count as taken.
    const seen = new Set<string>();
    const repeated: number[] = [];
    const unique: number[] = [];
    all.forEach((row, i) => {
      if (seen.has(row.id!)) repeated.push(i);
      else {
        seen.add(row.id!);
        unique.push(i);
      }
    });
    if (repeated.length > 0) {
      const taken = await this.insert(
        unique.map((i) => all[i]!),
        unique.map((i) => allMetas[i]!),
      );
      return [...taken.map((k) => unique[k]!), ...repeated];
    }
    const rows = all;
    const metas = allMetas;
    const inserted = await this.trx
      .insertInto('comments')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    this.imported += inserted.length;
    if (inserted.length > 0) {
      const ids = new Set(inserted.map((r) => r.id));
      const added = rows.flatMap((row, i) => (ids.has(row.id!) ? [i] : []));
      await sql`insert into import_new (id, scoped_parent)
        select * from unnest(${added.map((i) => rows[i]!.id)}::uuid[], ${added.map((i) => metas[i]!.scopedParentId)}::uuid[])
        on conflict do nothing`.execute(this.trx);
      if (inserted.length === rows.length) return [];
      return rows.flatMap((row, i) => (ids.has(row.id!) ? [] : [i]));
    }
    return rows.map((_, i) => i);
  }

  private async createdAtOf(ids: string[]): Promise<Map<string, number>> {
    const rows = await this.trx.selectFrom('comments').select(['id', 'createdAt']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.createdAt.getTime()]));
  }

  private async threadId(thread: ImportedComment['thread']): Promise<string> {
    const known = this.threads.get(thread.key);
    if (known) return known;
    // Title and URL only count when the thread is first seen, as for new comments.
    const created = await this.trx
      .insertInto('threads')
      .values({ siteId: this.siteId, key: thread.key, url: thread.url, title: thread.title, closed: thread.closed })
      .onConflict((oc) => oc.columns(['siteId', 'key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    const id =
      created?.id ??
      (await this.trx.selectFrom('threads').select('id').where('siteId', '=', this.siteId).where('key', '=', thread.key).executeTakeFirstOrThrow()).id;
    this.threads.set(thread.key, id);
    return id;
  }
}
