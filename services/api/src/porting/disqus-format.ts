import type { CommentStatus } from '@stammtisch/db';
import { sanitizeCommentHtml } from '@stammtisch/comments';
import {
  type ImportOptions,
  type ReadEntry,
  type ThreadKeyMode,
  cleanText,
  emailOrNull,
  httpUrlOrNull,
  linkKey,
  paragraphsOf,
  parseDate,
  skipped,
  threadKeyOfLink,
} from './model.js';
import type { Element, Emit, ImportSink, XmlFormat } from './xml-reader.js';

interface DisqusThread {
  key: string | null;
  url: string | null;
  title: string | null;
  closed: boolean;
  deleted: boolean;
  line: number;
}

/** The Disqus WordPress plugin's identifier: "12 https://blog.example/?p=12" (post id, then the plain permalink). */
const WP_IDENTIFIER = /^(\d+)\s+(https?:\/\/\S+)$/;

/**
 * A Disqus thread's key. By link (the default, as for WordPress posts) or
 * path; `guid`/`post_id` use the thread's `<id>` (the page's
 * `disqus_identifier`; for the WordPress plugin's "N URL" the URL or N, so
 * the keys match a WXR import of the same blog). A thread without a `<link>`
 * falls back to its `<id>`, and the other way round.
 */
export function threadKeyOfDisqus(link: string, identifier: string, mode: ThreadKeyMode | undefined): string | null {
  const wp = WP_IDENTIFIER.exec(identifier.trim());
  const byId = wp
    ? mode === 'post_id'
      ? wp[1]!
      : mode === 'guid'
        ? wp[2]!
        : linkKey(wp[2]!)
    : cleanText(identifier.trim()).slice(0, 512) || null;
  const byLink = mode === 'path' ? threadKeyOfLink(link) : linkKey(link);
  return mode === 'guid' || mode === 'post_id' ? (byId ?? byLink) : (byLink ?? byId);
}

/**
 * Disqus' export (disqus.com/api/schemas/1.0/disqus.xsd): categories, then
 * every `<thread>`, then every `<post>` naming its thread and parent by
 * `dsq:id`. As Disqus shows them: spam (`isSpam`) is kept as spam and
 * deleted posts (`isDeleted`) as rejected, neither ever public;
 * `isApproved=false` waits for moderation; posts of a deleted thread are held.
 * `isAnonymous` only says the author had no Disqus account: the name stays.
 * A post whose thread the file does not define, or whose thread has neither
 * `<link>` nor `<id>`, is skipped and listed.
 */
export function disqusFormat(sink: ImportSink, emit: Emit, options: ImportOptions): XmlFormat {
  const threads = new Map<string, DisqusThread>();
  let thread: Record<string, string> = {};
  let threadId = '';
  let post: Record<string, string> = {};
  let lines: Record<string, number> = {};
  let postId = '';
  let threadRef = '';
  let parentRef = '';
  let elementLine = 0;
  sink.source('disqus');

  const dsqId = (element: Element) => (element.attributes['dsq:id'] ?? '').trim();

  return {
    root: 'disqus',
    open(element, stack) {
      const parent = stack.at(-2)?.name;
      if (element.name === 'thread' && parent === 'disqus') {
        thread = {};
        threadId = dsqId(element);
        elementLine = element.line;
      } else if (element.name === 'post' && parent === 'disqus') {
        post = {};
        lines = {};
        postId = dsqId(element);
        threadRef = '';
        parentRef = '';
        elementLine = element.line;
      } else if (parent === 'post' && stack.at(-3)?.name === 'disqus') {
        if (element.name === 'thread') threadRef = dsqId(element);
        else if (element.name === 'parent') parentRef = dsqId(element);
      }
    },
    close(element, text, stack) {
      const parent = stack.at(-1)?.name;
      const grand = stack.at(-2)?.name;
      if (parent === 'disqus') {
        if (element.name === 'thread') closeThread();
        else if (element.name === 'post') emit(disqusPost());
        return;
      }
      if (parent === 'thread' && grand === 'disqus') thread[element.name] = text.trim();
      else if (parent === 'post' && grand === 'disqus') {
        post[element.name] = text;
        lines[element.name] = element.line;
      } else if (parent === 'author' && grand === 'post') post[`author.${element.name}`] = text.trim();
    },
    end() {},
  };

  function closeThread() {
    // A thread without dsq:id cannot be named by any post: nothing to keep.
    if (!threadId) return;
    const link = thread.link ?? '';
    threads.set(threadId, {
      key: threadKeyOfDisqus(link, thread.id ?? '', options.threadKey),
      url: httpUrlOrNull(link),
      title:
        cleanText(thread.title ?? '')
          .trim()
          .slice(0, 300) || null,
      closed: thread.isClosed === 'true',
      deleted: thread.isDeleted === 'true',
      line: elementLine,
    });
  }

  function disqusPost(): ReadEntry {
    if (!postId) return skipped(elementLine, 'post', null, 'the <post> has no dsq:id', true);
    const home = threads.get(threadRef);
    // Disqus writes every <thread> before the posts: a post of an unknown thread is an orphan.
    if (!home)
      return skipped(
        elementLine,
        'post',
        postId,
        threadRef
          ? `its thread (dsq:id "${threadRef.slice(0, 40)}") is not in the file before it`
          : 'it names no <thread>',
        true,
      );
    if (!home.key)
      return skipped(
        elementLine,
        'post',
        postId,
        `its thread (dsq:id "${threadRef}", line ${home.line}) has neither a <link> nor an <id>`,
        true,
      );
    const createdAt = parseDate(post.createdAt ?? '');
    if (!createdAt)
      return skipped(
        lines.createdAt ?? elementLine,
        'createdAt',
        postId,
        `"${(post.createdAt ?? '').trim().slice(0, 40)}" is not a date`,
        true,
      );
    let status: CommentStatus =
      post.isSpam?.trim() === 'true'
        ? 'spam'
        : post.isDeleted?.trim() === 'true'
          ? 'rejected'
          : post.isApproved?.trim() === 'false'
            ? 'pending'
            : 'approved';
    if (home.deleted && status === 'approved') status = 'pending';
    const body = cleanText(post.message ?? '');
    if (!body.trim()) return skipped(elementLine, 'post', postId, 'the comment is empty', false);
    return {
      sourceId: postId,
      parentSourceId: parentRef || null,
      thread: { key: home.key, url: home.url, title: home.title, closed: home.closed },
      author: {
        name: cleanText(post['author.name'] || post['author.username'] || '').slice(0, 200) || 'Anonymous',
        email: emailOrNull(post['author.email']),
        url: httpUrlOrNull(post['author.link'] ?? post['author.url']),
      },
      body,
      html: sanitizeCommentHtml(paragraphsOf(body)),
      status,
      createdAt,
      line: elementLine,
      element: 'post',
      scope: `thread:${threadRef}`,
      ...(home.deleted && { note: 'held: its thread is deleted in Disqus' }),
    };
  }
}
