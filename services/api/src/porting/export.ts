import { createHash } from 'node:crypto';
import { type CommentStatus, type DB, exportCommentRows, toCommentView } from '@stammtisch/db';

/**
 * NDJSON, one comment per line, every status: the lossless format (ids,
 * Markdown bodies, scores and reasons); `POST …/import?format=ndjson` reads it back.
 */
export async function* exportNdjson(db: DB, siteId: string): AsyncGenerator<string> {
  for await (const row of exportCommentRows(db, siteId, 'time')) {
    const view = toCommentView(row);
    // The comment view plus what a file needs to rebuild the site: the thread's state, the author's email (the
    // owner's own data) and when it was decided. `verified` only where an identity signed the comment.
    yield `${JSON.stringify({
      ...view,
      thread: { ...view.thread, closed: row.threadClosed },
      author: {
        name: row.authorName,
        email: row.authorEmail,
        url: row.authorUrl,
        ...(row.authorIdentity && { verified: true, provider: row.authorIdentity.provider }),
      },
      decidedAt: row.decidedAt?.toISOString() ?? null,
    })}\n`;
  }
}

const WP_APPROVED: Record<CommentStatus, string> = { approved: '1', pending: '0', spam: 'spam', rejected: 'trash' };

function xmlText(value: string): string {
  return value
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function cdata(value: string): string {
  return `<![CDATA[${value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** WordPress wants numeric comment ids: a stable 48-bit number from our id, the same in every export. */
function wpId(id: string): string {
  return String(Number.parseInt(createHash('sha256').update(id).digest('hex').slice(0, 12), 16));
}

function wpDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * WordPress WXR 1.2, so an owner can go back: one <item> per thread, its
 * comments with parent, status, author and date. Bodies are the sanitized
 * HTML (WordPress shows comments as HTML). The exact thread key rides along
 * as post meta, so our own import puts comments back on the same thread.
 */
export async function* exportWxr(db: DB, site: { id: string; name: string }, baseUrl: string): AsyncGenerator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>${xmlText(site.name)}</title>
\t<link>${xmlText(baseUrl)}</link>
\t<description>Comments exported from Stammtisch (site ${xmlText(site.id)})</description>
\t<language>en</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>${xmlText(baseUrl)}</wp:base_site_url>
\t<wp:base_blog_url>${xmlText(baseUrl)}</wp:base_blog_url>
\t<generator>stammtisch</generator>
`;
  let currentThread: string | undefined;
  let buffer = '';
  for await (const row of exportCommentRows(db, site.id, 'thread')) {
    if (row.threadId !== currentThread) {
      if (currentThread) buffer += '\t</item>\n';
      currentThread = row.threadId;
      const link =
        row.threadUrl ?? `${baseUrl.replace(/\/$/, '')}${row.threadKey.startsWith('/') ? '' : '/'}${row.threadKey}`;
      buffer += `\t<item>
\t\t<title>${xmlText(row.threadTitle ?? row.threadKey)}</title>
\t\t<link>${xmlText(link)}</link>
\t\t<wp:post_id>${wpId(row.threadId)}</wp:post_id>
\t\t<wp:status>publish</wp:status>
\t\t<wp:post_type>post</wp:post_type>
\t\t<wp:post_password></wp:post_password>
\t\t<wp:comment_status>${row.threadClosed ? 'closed' : 'open'}</wp:comment_status>
\t\t<wp:postmeta>
\t\t\t<wp:meta_key>stammtisch_thread_key</wp:meta_key>
\t\t\t<wp:meta_value>${cdata(row.threadKey)}</wp:meta_value>
\t\t</wp:postmeta>
`;
    }
    buffer += `\t\t<wp:comment>
\t\t\t<wp:comment_id>${wpId(row.id)}</wp:comment_id>
\t\t\t<wp:comment_author>${cdata(row.authorName)}</wp:comment_author>
\t\t\t<wp:comment_author_email>${xmlText(row.authorEmail ?? '')}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>${xmlText(row.authorUrl ?? '')}</wp:comment_author_url>
\t\t\t<wp:comment_author_IP></wp:comment_author_IP>
\t\t\t<wp:comment_date>${wpDate(row.createdAt)}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>${wpDate(row.createdAt)}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>${cdata(row.html)}</wp:comment_content>
\t\t\t<wp:comment_approved>${WP_APPROVED[row.status]}</wp:comment_approved>
\t\t\t<wp:comment_type>comment</wp:comment_type>
\t\t\t<wp:comment_parent>${row.parentId ? wpId(row.parentId) : '0'}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
`;
    if (buffer.length > 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  if (currentThread) buffer += '\t</item>\n';
  yield `${buffer}</channel>\n</rss>\n`;
}
