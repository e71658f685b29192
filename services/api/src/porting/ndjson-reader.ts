import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { detailsFromZod } from '@stammtisch/http';
import { renderCommentHtml, sanitizeCommentHtml } from '@stammtisch/comments';
import { z } from 'zod';
import { type ImportedComment, cleanText, emailOrNull, httpUrlOrNull, skipped } from './model.js';
import type { ImportSink } from './xml-reader.js';

/** One line of an NDJSON file: what `GET …/export` writes; only thread, author, body and createdAt are required. */
export const NdjsonComment = z.object({
  id: z.string().min(1).max(200).optional(),
  site: z.string().optional(),
  thread: z.object({
    key: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
    title: z.string().max(300).nullish(),
    url: z.string().max(2048).nullish(),
    closed: z.boolean().optional(),
  }),
  parentId: z.string().max(200).nullish(),
  author: z.object({ name: z.string().max(200), email: z.string().nullish(), url: z.string().nullish() }),
  body: z.string().max(100_000),
  /** When present, the comment's HTML (re-sanitized); else the body is rendered as Markdown, as for new comments. */
  html: z.string().max(400_000).nullish(),
  status: z.enum(['approved', 'pending', 'spam', 'rejected']).default('approved'),
  createdAt: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date (ISO 8601)'),
});

/**
 * Reads NDJSON line by line (readline over the stream). Every line stands on
 * its own: a bad one is skipped and listed with its number and the failing
 * fields (with `strict=true` it refuses the file).
 */
export async function readNdjson(chunks: AsyncIterable<string>, siteId: string, sink: ImportSink): Promise<void> {
  sink.source('ndjson');
  const lines = createInterface({ input: Readable.from(chunks), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      await sink.entry(skipped(lineNumber, null, null, 'not valid JSON', true));
      continue;
    }
    const parsed = NdjsonComment.safeParse(value);
    if (!parsed.success) {
      const problems = detailsFromZod(parsed.error).map((d) => `${d.path}: ${d.message}`);
      const id = (value as { id?: unknown } | null)?.id;
      await sink.entry(
        skipped(lineNumber, null, typeof id === 'string' ? id.slice(0, 200) : null, problems.join('; '), true),
      );
      continue;
    }
    const body = cleanText(parsed.data.body);
    if (!body.trim()) {
      await sink.entry(skipped(lineNumber, null, parsed.data.id ?? null, 'the comment is empty', false));
      continue;
    }
    await sink.entry(toImported(parsed.data, siteId, lineNumber));
  }
}

function toImported(line: z.infer<typeof NdjsonComment>, siteId: string, lineNumber: number): ImportedComment {
  const body = cleanText(line.body);
  const sourceId = line.id ?? `line:${lineNumber}`;
  // Our own export of this very site (a restore): keep the ids, so links to comments survive.
  const keep =
    line.site === siteId &&
    line.id !== undefined &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(line.id);
  return {
    sourceId,
    parentSourceId: line.parentId ?? null,
    ...(keep && { keepId: line.id, keepParentId: line.parentId ?? null }),
    thread: {
      key: cleanText(line.thread.key),
      url: httpUrlOrNull(line.thread.url),
      title: line.thread.title ? cleanText(line.thread.title) : null,
      closed: line.thread.closed ?? false,
    },
    author: {
      name: cleanText(line.author.name).trim() || 'Anonymous',
      email: emailOrNull(line.author.email),
      url: httpUrlOrNull(line.author.url),
    },
    body,
    html: line.html ? sanitizeCommentHtml(cleanText(line.html)) : renderCommentHtml(body),
    status: line.status,
    createdAt: new Date(line.createdAt),
    line: lineNumber,
    element: null,
    scope: `thread:${line.thread.key}`,
  };
}
