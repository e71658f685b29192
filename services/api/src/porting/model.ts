import { createHash } from 'node:crypto';
import type { CommentStatus } from '@stammtisch/db';

export type ImportFormat = 'wxr' | 'disqus' | 'ndjson';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['wxr', 'disqus', 'ndjson'];

/** How a WordPress post (or a Disqus thread) becomes a thread key; see `threadKeyOfItem`. */
export type ThreadKeyMode = 'path' | 'link' | 'guid' | 'post_id';
export const THREAD_KEY_MODES: readonly ThreadKeyMode[] = ['path', 'link', 'guid', 'post_id'];
/** WordPress comment types the `types` option may let in; other types (editorial notes) never are. */
export type WxrCommentType = 'comment' | 'pingback' | 'trackback';
export const WXR_COMMENT_TYPES: readonly WxrCommentType[] = ['comment', 'pingback', 'trackback'];

export interface ImportOptions {
  /** Any bad entry refuses the whole file (the behaviour before skipping existed). */
  strict?: boolean;
  /** Runs the import and rolls it back: the answer says what would happen. */
  dryRun?: boolean;
  /** Unset: the link's path and query (see `linkKey`), or our own export's exact key. */
  threadKey?: ThreadKeyMode;
  /** WordPress comment types to import; default `comment` only. */
  types?: readonly WxrCommentType[];
}

/** One entry of the file that was not imported, and why; the answer lists them. */
export interface SkippedEntry {
  line: number | null;
  element: string | null;
  sourceId: string | null;
  reason: string;
}

/**
 * An entry a reader could not turn into a comment. `bad` marks a broken
 * entry (no id, no date, no thread): `strict=true` refuses the file for it.
 * Entries skipped by rule (pingbacks, editorial notes, empty bodies) are not bad.
 */
export interface SkippedRead extends SkippedEntry {
  skip: true;
  bad: boolean;
}

/** One comment as a reader found it in a file, before it becomes a row. */
export interface ImportedComment {
  /** The comment's id in the source system; with the site and source it makes the row's id. */
  sourceId: string;
  parentSourceId: string | null;
  /** Our own id from an NDJSON export of this very site: kept, so links to it survive a restore. */
  keepId?: string;
  keepParentId?: string | null;
  thread: { key: string; url: string | null; title: string | null; closed: boolean };
  author: { name: string; email: string | null; url: string | null };
  /** The text as the source stored it (HTML for WordPress and Disqus). */
  body: string;
  /** Sanitized HTML, through the same gate as every other comment. */
  html: string;
  status: CommentStatus;
  createdAt: Date;
  /** Where the comment starts in the file, for the skipped-entry report. */
  line: number | null;
  element: string | null;
  /**
   * What makes a source id unique when the source's own ids are not (the
   * WordPress post id): a second comment with an id already taken by another
   * comment gets an id scoped by this instead of being lost.
   */
  scope: string;
  /** Why the comment arrives held, shown to moderators with its reasons. */
  note?: string;
  skip?: undefined;
}

export type ReadEntry = ImportedComment | SkippedRead;

export function skipped(
  line: number | null,
  element: string | null,
  sourceId: string | null | undefined,
  reason: string,
  bad: boolean,
): SkippedRead {
  return { skip: true, bad, line, element, sourceId: sourceId || null, reason };
}

/**
 * A file that cannot be read. `line` and `element` name the place so an
 * owner can find it in a file of a million lines.
 */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly element?: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }

  /** "line 12, <wp:comment_date_gmt>: not a date" */
  describe(): string {
    const where = [
      this.line !== undefined ? `line ${this.line}` : undefined,
      this.element ? `<${this.element}>` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/**
 * A stable comment id from (site, source, source id): the same file imported
 * twice makes the same ids, so ON CONFLICT DO NOTHING adds nothing the second
 * time. Shaped like a UUID v5 (SHA-1, version and variant bits set).
 */
export function importedCommentId(siteId: string, source: string, sourceId: string): string {
  const hash = createHash('sha1').update(`stammtisch-import\u0000${siteId}\u0000${source}\u0000${sourceId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Postgres text cannot hold U+0000; other control characters are noise in a comment. */
export function cleanText(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** An http(s) URL or nothing: a `javascript:` author link must not survive an import. */
export function httpUrlOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? trimmed.slice(0, 2048) : null;
  } catch {
    return null;
  }
}

export function emailOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(trimmed) ? trimmed : null;
}

/**
 * The thread key for a post's link: its URL path, as the widget keys a page
 * by default (`new URL(canonical).pathname`), so imported threads meet the
 * widget on the same page. A bare path is taken as it is.
 */
export function threadKeyOfLink(link: string): string | null {
  const trimmed = link.trim();
  if (!trimmed) return null;
  if (trimmed.startsWith('/')) return trimmed.slice(0, 512);
  try {
    return new URL(trimmed).pathname.slice(0, 512) || '/';
  } catch {
    return null;
  }
}

/** Query parameters that only say how a reader came to a page; they never tell posts apart. */
const NOISE_PARAMS = /^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|ref|replytocom|share|amp|noamp)$/i;

/**
 * The `link` thread key: the link's path plus its query (WordPress' plain
 * permalinks `/?p=12`, `/?page_id=7` are posts of their own), without
 * scheme, host, fragment and tracking parameters. For a pretty permalink this
 * is the path, as the widget keys a page by default.
 */
export function linkKey(link: string): string | null {
  const trimmed = link.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed, 'http://relative.invalid');
  } catch {
    return null;
  }
  if (!trimmed.startsWith('/') && url.hostname === 'relative.invalid') return null;
  const params = [...url.searchParams].filter(([name]) => !NOISE_PARAMS.test(name));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  return `${url.pathname || '/'}${query}`.slice(0, 512);
}

/**
 * WordPress stores comments as HTML without paragraphs (it adds them when it
 * shows a comment): blank lines are paragraphs, single newlines line breaks.
 * Text that already has paragraphs is left as it is.
 */
export function paragraphsOf(text: string): string {
  const normalized = text.replace(/\r\n?/g, '\n').trim();
  if (/<(p|ul|ol|blockquote|pre)\b/i.test(normalized)) return normalized;
  return normalized
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.trim().replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

/** A date in a field: WordPress writes "2012-03-01 10:00:00" (UTC in *_gmt fields); ISO 8601 elsewhere. Undefined when it is not one. */
export function parseDate(value: string): Date | undefined {
  const trimmed = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed;
  const date = new Date(iso);
  return trimmed && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** WordPress writes "0000-00-00 00:00:00" where it has no date (drafts, some old comments). */
export function isZeroDate(value: string | undefined): boolean {
  const trimmed = value?.trim() ?? '';
  return !trimmed || trimmed.startsWith('0000-00-00');
}
