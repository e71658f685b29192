// A WordPress post and its comments as read from WXR, and how one comment becomes an import entry.

import type { CommentStatus } from '@stammtisch/db';
import { sanitizeCommentHtml } from '@stammtisch/comments';
import {
  type ReadEntry,
  type ThreadKeyMode,
  WXR_COMMENT_TYPES,
  type WxrCommentType,
  cleanText,
  emailOrNull,
  httpUrlOrNull,
  isZeroDate,
  linkKey,
  parseDate,
  paragraphsOf,
  skipped,
  threadKeyOfLink,
} from './model.js';

const WP_STATUS: Record<string, CommentStatus> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'rejected',
  'post-trashed': 'rejected',
};

/** Post states whose comments WordPress shows to readers; every other state (private, draft, pending, future, trash) holds them. */
const PUBLIC_POST_STATES = new Set(['publish', 'inherit', '']);

export interface WxrItem {
  line: number;
  title: string | null;
  link: string | null;
  guid: string | null;
  postId: string | null;
  postType: string;
  postDate: string;
  postDateGmt: string;
  status: string;
  password: string;
  closed: boolean;
  metaKey: string | null;
  /** Our own WXR export names the exact thread key as post meta. */
  exactKey: string | null;
  sawStatus: boolean;
  sawPassword: boolean;
  /** Comments read before the item said whether it is public: held back until it has (or until it ends). */
  waiting: RawComment[];
  count: number;
}

export interface RawComment {
  fields: Record<string, string>;
  lines: Record<string, number>;
  line: number;
  index: number;
}

export const clip = (value: string | null, max: number) =>
  value ? cleanText(value.trim()).slice(0, max) || null : null;

/**
 * The thread key of a post. `threadKey` picks the value; when the post lacks
 * it, the link key, then WordPress' plain permalink for the post id
 * (`/?p=N`), then the guid stand in. Unset, our own export's exact key wins.
 */
export function threadKeyOfItem(
  item: Pick<WxrItem, 'link' | 'guid' | 'postId' | 'postType' | 'exactKey'>,
  mode: ThreadKeyMode | undefined,
): string | null {
  const fromLink = item.link ? linkKey(item.link) : null;
  const plain = item.postId
    ? `/?${item.postType === 'page' ? 'page_id' : item.postType === 'attachment' ? 'attachment_id' : 'p'}=${encodeURIComponent(item.postId)}`
    : null;
  const fallback = fromLink ?? plain ?? clip(item.guid, 512);
  if (mode === undefined) return item.exactKey ?? fallback;
  if (mode === 'path') return (item.link ? threadKeyOfLink(item.link) : null) ?? fallback;
  if (mode === 'guid') return clip(item.guid, 512) ?? fallback;
  if (mode === 'post_id') return clip(item.postId, 512) ?? fallback;
  return fallback;
}

/**
 * One `<wp:comment>` of a post as an import entry, or the reason it is skipped
 * (no id, a type left out, no thread key or date, an unknown status, an empty body).
 */
export function wxrEntry(
  post: WxrItem,
  raw: RawComment,
  options: { types: ReadonlySet<WxrCommentType>; threadKey: ThreadKeyMode | undefined },
): ReadEntry {
  const { types } = options;
  const f = raw.fields;
  const at = (field: string) => raw.lines[field] ?? raw.line;
  const sourceId = f.comment_id?.trim();
  if (!sourceId)
    return skipped(raw.line, 'wp:comment', null, `comment ${raw.index} of its post has no <wp:comment_id>`, true);

  // WordPress writes '' for old comments and 'comment' since 5.5; 'review' is WooCommerce's reader review.
  const type = (f.comment_type ?? '').trim().toLowerCase() || 'comment';
  const kind = type === 'review' ? 'comment' : type;
  if (!WXR_COMMENT_TYPES.includes(kind as never))
    return skipped(
      raw.line,
      'wp:comment',
      sourceId,
      type === 'note'
        ? 'an editorial note (<wp:comment_type> note), not a reader comment'
        : `<wp:comment_type> "${type.slice(0, 40)}" is not a reader comment`,
      false,
    );
  if (!types.has(kind as 'comment'))
    return skipped(
      raw.line,
      'wp:comment',
      sourceId,
      `a ${kind}, and types=${[...types].join(',')} leaves ${kind}s out`,
      false,
    );

  const key = threadKeyOfItem(post, options.threadKey);
  if (!key)
    return skipped(
      post.line,
      'item',
      sourceId,
      'its post has no <link>, <wp:post_id> or <guid> to key a thread by',
      true,
    );

  let createdAt: Date | undefined;
  let dateNote: string | undefined;
  for (const field of ['comment_date_gmt', 'comment_date']) {
    if (isZeroDate(f[field])) continue;
    createdAt = parseDate(f[field]!);
    if (!createdAt)
      return skipped(at(field), `wp:${field}`, sourceId, `"${f[field]!.trim().slice(0, 40)}" is not a date`, true);
    break;
  }
  if (!createdAt) {
    // No date of its own: the post's date is the earliest it can be, and it keeps the comment.
    const postDate = !isZeroDate(post.postDateGmt)
      ? parseDate(post.postDateGmt)
      : !isZeroDate(post.postDate)
        ? parseDate(post.postDate)
        : undefined;
    if (!postDate)
      return skipped(
        raw.line,
        'wp:comment',
        sourceId,
        'has no <wp:comment_date_gmt> or <wp:comment_date>, and its post no date to use instead',
        true,
      );
    createdAt = postDate;
    dateNote = "no date in the file: the post's date";
  }

  const approved = (f.comment_approved ?? '1').trim();
  let status = WP_STATUS[approved];
  if (!status)
    return skipped(
      at('comment_approved'),
      'wp:comment_approved',
      sourceId,
      `unknown <wp:comment_approved> "${approved.slice(0, 20)}"`,
      true,
    );

  const body = cleanText(f.comment_content ?? '');
  if (!body.trim()) return skipped(raw.line, 'wp:comment', sourceId, 'the comment is empty', false);

  const held = post.password
    ? 'its post is password-protected'
    : PUBLIC_POST_STATES.has(post.status)
      ? undefined
      : `its post is ${post.status.slice(0, 20)}`;
  if (held && status === 'approved') status = 'pending';
  const notes = [held && `held: ${held}`, dateNote].filter(Boolean);
  const parent = (f.comment_parent ?? '').trim();
  return {
    sourceId,
    parentSourceId: parent && parent !== '0' ? parent : null,
    thread: { key, url: httpUrlOrNull(post.link), title: post.title, closed: post.closed },
    author: {
      name:
        cleanText(f.comment_author ?? '')
          .trim()
          .slice(0, 200) || 'Anonymous',
      email: emailOrNull(f.comment_author_email),
      url: httpUrlOrNull(f.comment_author_url),
    },
    body,
    html: sanitizeCommentHtml(paragraphsOf(body)),
    status,
    createdAt,
    line: raw.line,
    element: 'wp:comment',
    scope: post.postId ? `post:${post.postId}` : `thread:${key}`,
    ...(notes.length > 0 && { note: notes.join('; ') }),
  };
}
