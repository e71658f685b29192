import { createHash } from 'node:crypto';
import type { Database, NewComment } from '@stammtisch/db';
import { normalizeBody } from '@stammtisch/spam';
import { type Transaction, sql } from 'kysely';
import { type ImportedComment, importedCommentId } from './model.js';

/** Rows per INSERT: big enough to be fast, small enough for Postgres' 65,535 parameters (18 columns × 500). */
export const IMPORT_BATCH_SIZE = 500;

export interface ImportCounts {
  imported: number;
  skipped: number;
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
  private readonly threads = new Map<string, string>();
  private imported = 0;
  private skipped = 0;
  private prepared = false;
  /** The batch being written while the reader parses the next one (at most one in flight). */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly siteId: string,
    /** Scopes source ids: two WordPress blogs both have a comment 1. */
    private readonly source: string,
  ) {}

  async add(comment: ImportedComment): Promise<void> {
    if (comment.skipReason) {
      this.skipped++;
      return;
    }
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
      reasons: JSON.stringify([{ check: 'import', weight: 0, detail: `Imported (${this.source.split(':')[0]})` }]),
      createdAt: comment.createdAt,
      decidedAt: comment.status === 'pending' ? null : comment.createdAt,
    });
    if (this.batch.length >= IMPORT_BATCH_SIZE) await this.flush();
  }

  /** Hands the batch to Postgres and returns once the previous one is written, so parsing and writing overlap. */
  private async flush(): Promise<void> {
    const previous = this.inFlight;
    if (this.batch.length > 0) {
      const rows = this.batch;
      this.batch = [];
      // Awaited below or on the next flush; the catch only keeps an early failure from counting as unhandled.
      this.inFlight = previous.then(() => this.write(rows));
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
    if (!this.prepared) return { imported: this.imported, skipped: this.skipped };
    const trx = this.trx;
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
    return { imported: this.imported, skipped: this.skipped };
  }

  private async prepare(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    // An import may take minutes; the pool's per-statement timeout is for requests.
    await sql`set local statement_timeout = 0`.execute(this.trx);
    await sql`create temporary table import_new (id uuid primary key) on commit drop`.execute(this.trx);
  }

  private async write(rows: NewComment[]): Promise<void> {
    const inserted = await this.trx
      .insertInto('comments')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    this.imported += inserted.length;
    this.skipped += rows.length - inserted.length;
    if (inserted.length > 0) {
      await sql`insert into import_new (id) select unnest(${inserted.map((r) => r.id)}::uuid[]) on conflict do nothing`.execute(this.trx);
    }
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
