import { type DB, withTransaction } from '@stammtisch/db';
import { type ImportFormat, type ImportOptions, ImportError } from './model.js';
import { readNdjson } from './ndjson-reader.js';
import { type ImportCounts, ImportWriter } from './writer.js';
import { type ImportSink, readXmlExport } from './xml-reader.js';

export interface ImportInput extends ImportOptions {
  siteId: string;
  /** Which reader; XML files are also recognised by their root element, so `wxr` and `disqus` may be left out. */
  format: ImportFormat | 'xml';
  /** The file as text, in chunks (a request body, a file stream). */
  chunks: AsyncIterable<string>;
}

export interface ImportResult extends ImportCounts {
  /** Set on a dry run: the counts say what would have happened; nothing was kept. */
  dryRun?: true;
}

/** Thrown inside the transaction to roll a dry run back; carries its answer out. */
class DryRunDone {
  constructor(readonly counts: ImportCounts) {}
}

/**
 * Imports a WordPress WXR, Disqus or NDJSON file into a site, streaming, in
 * one transaction. What can be imported is; every entry that cannot is
 * skipped and listed (line, element, source id, reason). A file that is not
 * well-formed, or any bad entry with `strict`, leaves nothing behind. A file
 * imported twice adds nothing the second time (ids derive from the site,
 * the source and the source's comment id). `dryRun` does all of it and
 * rolls back. The api's import route, the command line and the benchmark
 * all call this.
 */
export async function importComments(db: DB, input: ImportInput): Promise<ImportResult> {
  try {
    return await withTransaction(db, async (trx) => {
      let writer: ImportWriter | undefined;
      const sink: ImportSink = {
        source(source) {
          writer ??= new ImportWriter(trx, input.siteId, source, input.strict ?? false);
        },
        async entry(entry) {
          if (!writer) throw new ImportError('internal: an entry before the source was known');
          await writer.add(entry);
        },
      };
      try {
        if (input.format === 'ndjson') await readNdjson(input.chunks, input.siteId, sink);
        else await readXmlExport(input.chunks, input.format === 'xml' ? undefined : input.format, sink, input);
      } catch (error) {
        // A batch may still be on its way to Postgres: let it land before the rollback.
        await (writer as ImportWriter | undefined)?.settle();
        throw error;
      }
      const counts: ImportCounts = writer ? await writer.finish() : { imported: 0, skipped: 0, skippedEntries: [] };
      if (input.dryRun) throw new DryRunDone(counts);
      return counts;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return { ...error.counts, dryRun: true };
    throw error;
  }
}

/** The text chunks of a file on disk, for the command line and the benchmark. */
export async function* fileChunks(path: string): AsyncGenerator<string> {
  const { createReadStream } = await import('node:fs');
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 }))
    yield chunk as string;
}

/** Picks the format from a file name when none is given: `.ndjson`/`.jsonl` or XML (recognised by its root element). */
export function formatFromFileName(path: string): ImportFormat | 'xml' {
  return /\.(nd)?jsonl?$/i.test(path) || /\.ndjson$/i.test(path) ? 'ndjson' : 'xml';
}
