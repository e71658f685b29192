import {
  type DB,
  type NewComment,
  commentBodyHash,
  commentCreationTimes,
  ensureThread,
  insertComments,
  linkImportedComments,
  prepareImport,
  recordImportedRows,
} from '@stammtisch/db';
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
    private readonly trx: DB,
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
      bodyHash: commentBodyHash(comment.body),
      html: comment.html,
      status: comment.status,
      score: 0,
      reasons: [
        {
          check: 'import',
          weight: 0,
          detail: `Imported (${this.source.split(':')[0]})${comment.note ? `; ${comment.note}` : ''}`,
        },
      ],
      createdAt: comment.createdAt,
      decidedAt: comment.status === 'pending' ? null : comment.createdAt,
    });
    const scoped = (sourceId: string) =>
      importedCommentId(this.siteId, this.source, `${comment.scope}\u0000${sourceId}`);
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
      this.inFlight = previous.then(() => this.write(rows, metas));
      // Not swallowed: the next flush (or finish) awaits this same promise and rethrows its failure to
      // the caller. This handler only keeps a failure that lands before then from counting as an
      // unhandled rejection, which would crash the process.
      this.inFlight.catch(() => {});
    }
    await previous;
  }

  /**
   * Waits for the batch in flight, whatever its outcome, so nothing runs on the transaction after it
   * is rolled back. Only called while the reader's error is on its way to the caller (import.ts):
   * that error is the one reported, and the whole import rolls back, so a write failing at the same
   * moment changes nothing the caller could act on; reporting it instead would hide the file's error.
   */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => {});
  }

  /** Links replies to their parents, sets root and depth, and returns the counts. */
  async finish(): Promise<ImportCounts> {
    await this.flush();
    await this.inFlight;
    if (!this.prepared) return this.counts();
    await linkImportedComments(this.trx);
    return this.counts();
  }

  private counts(): ImportCounts {
    const notListed = this.skipped - this.skippedEntries.length;
    return {
      imported: this.imported,
      skipped: this.skipped,
      // Entries found while writing come after those found while reading: list them in file order.
      skippedEntries: this.skippedEntries.sort(
        (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
      ),
      ...(notListed > 0 && { skippedEntriesNotListed: notListed }),
    };
  }

  private async prepare(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    await prepareImport(this.trx);
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
        this.skip(
          { line: meta.line, element: meta.element, sourceId: meta.sourceId, reason: 'already imported' },
          false,
        );
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
          reason: same
            ? 'already imported'
            : `another comment in the same post (${meta.scope.slice(0, 80)}) has this id`,
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
    const inserted = await insertComments(this.trx, rows);
    this.imported += inserted.size;
    if (inserted.size > 0) {
      const ids = inserted;
      const added = rows.flatMap((row, i) => (ids.has(row.id!) ? [i] : []));
      await recordImportedRows(
        this.trx,
        added.map((i) => ({ id: rows[i]!.id!, scopedParentId: metas[i]!.scopedParentId })),
      );
      if (inserted.size === rows.length) return [];
      return rows.flatMap((row, i) => (ids.has(row.id!) ? [] : [i]));
    }
    return rows.map((_, i) => i);
  }

  private async createdAtOf(ids: string[]): Promise<Map<string, number>> {
    return commentCreationTimes(this.trx, ids);
  }

  private async threadId(thread: ImportedComment['thread']): Promise<string> {
    const known = this.threads.get(thread.key);
    if (known) return known;
    // Title and URL only count when the thread is first seen, as for new comments.
    const id = await ensureThread(this.trx, {
      siteId: this.siteId,
      key: thread.key,
      url: thread.url,
      title: thread.title,
      closed: thread.closed,
    });
    this.threads.set(thread.key, id);
    return id;
  }
}
