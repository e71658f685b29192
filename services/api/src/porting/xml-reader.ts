import { sanitizeCommentHtml } from '@stammtisch/http';
import { SaxesParser } from 'saxes';
import { type ImportedComment, ImportError, cleanText, emailOrNull, httpUrlOrNull, paragraphsOf, threadKeyOfLink } from './model.js';
import type { CommentStatus } from '@stammtisch/db';

/** What a reader hands on: comments, one at a time, and once the source (for ids) is known. */
export interface ImportSink {
  source: (source: string) => void;
  comment: (comment: ImportedComment) => Promise<void>;
}

interface Element {
  name: string;
  attributes: Record<string, string>;
  line: number;
}

/** Per-format handling of one closed element; returns comments it completed. */
interface XmlFormat {
  root: string;
  open(element: Element, stack: Element[]): void;
  close(element: Element, text: string, stack: Element[]): ImportedComment | undefined;
  end(): void;
}

/**
 * Streams an XML export (WordPress WXR or Disqus) through saxes: the file is
 * never held whole, only the comment being read. The root element decides
 * the format; `expected` (from `?format=`) must agree with it.
 */
export async function readXmlExport(chunks: AsyncIterable<string>, expected: 'wxr' | 'disqus' | undefined, sink: ImportSink): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const stack: Element[] = [];
  let text = '';
  let format: XmlFormat | undefined;
  let done: ImportedComment[] = [];
  let sawRoot = false;

  parser.on('error', (error) => {
    // saxes prefixes "line:column: "; say it in words.
    const match = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(error.message);
    throw new ImportError(match ? `column ${match[2]}: ${match[3]}` : error.message, match ? Number(match[1]) : parser.line, stack.at(-1)?.name);
  });
  parser.on('opentag', (tag) => {
    const element: Element = { name: tag.name, attributes: tag.attributes as Record<string, string>, line: parser.line };
    if (!sawRoot) {
      sawRoot = true;
      format = tag.name === 'rss' ? wxrFormat(sink) : tag.name === 'disqus' ? disqusFormat(sink) : undefined;
      if (!format)
        throw new ImportError(`the root element is <${tag.name}>; expected <rss> (WordPress WXR) or <disqus> (Disqus export)`, parser.line, tag.name);
      const actual = format.root === 'rss' ? 'wxr' : 'disqus';
      if (expected && expected !== actual)
        throw new ImportError(
          `format=${expected} was asked for, but the file is a ${actual === 'wxr' ? 'WordPress WXR' : 'Disqus'} export`,
          parser.line,
          tag.name,
        );
    }
    stack.push(element);
    text = '';
    format?.open(element, stack);
  });
  parser.on('text', (value) => {
    text += value;
  });
  parser.on('cdata', (value) => {
    text += value;
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (!element || !format) return;
    const comment = format.close(element, text, stack);
    if (comment) done.push(comment);
    text = '';
  });

  for await (const chunk of chunks) {
    parser.write(chunk);
    if (done.length) {
      const ready = done;
      done = [];
      for (const comment of ready) await sink.comment(comment);
    }
  }
  parser.close();
  if (!sawRoot) throw new ImportError('the file is empty');
  for (const comment of done) await sink.comment(comment);
  format?.end();
}

function parseDate(value: string, line: number, element: string): Date {
  const trimmed = value.trim();
  // WordPress writes "2012-03-01 10:00:00" (UTC in *_gmt fields); ISO 8601 elsewhere.
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed;
  const date = new Date(iso);
  if (!trimmed || Number.isNaN(date.getTime())) throw new ImportError(`"${trimmed.slice(0, 40)}" is not a date`, line, element);
  return date;
}

const WP_STATUS: Record<string, CommentStatus> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'rejected',
  'post-trashed': 'rejected',
};

function wxrFormat(sink: ImportSink): XmlFormat {
  let channelLink = '';
  let baseUrl = '';
  let sourceAnnounced = false;
  let item: { title: string | null; link: string | null; key: string | null; closed: boolean; metaKey: string | null; line: number } | null = null;
  let comment: Record<string, string> = {};
  let fieldLines: Record<string, number> = {};
  let commentLine = 0;
  let commentCount = 0;

  const announce = () => {
    if (sourceAnnounced) return;
    sourceAnnounced = true;
    sink.source(`wxr:${baseUrl || channelLink}`);
  };

  return {
    root: 'rss',
    open(element, stack) {
      const parent = stack.at(-2)?.name;
      if (element.name === 'item' && parent === 'channel') {
        announce();
        item = { title: null, link: null, key: null, closed: false, metaKey: null, line: element.line };
      } else if (element.name === 'wp:comment' && parent === 'item') {
        comment = {};
        fieldLines = {};
        commentLine = element.line;
      }
    },
    close(element, rawText, stack) {
      const parent = stack.at(-1)?.name;
      const value = rawText;
      if (parent === 'channel') {
        if (element.name === 'link') channelLink = value.trim();
        else if (element.name === 'wp:base_blog_url') baseUrl = value.trim();
        else if (element.name === 'item') item = null;
        return undefined;
      }
      if (!item) return undefined;
      if (parent === 'item') {
        if (element.name === 'title') item.title = cleanText(value.trim()).slice(0, 300) || null;
        else if (element.name === 'link') item.link = value.trim();
        else if (element.name === 'wp:comment_status') item.closed = value.trim() === 'closed';
        else if (element.name === 'wp:comment') return wxrComment(element);
        return undefined;
      }
      if (parent === 'wp:postmeta' && stack.at(-2)?.name === 'item') {
        // Our own WXR export names the exact thread key, which may differ from the link's path.
        if (element.name === 'wp:meta_key') item.metaKey = value.trim();
        else if (element.name === 'wp:meta_value' && item.metaKey === 'stammtisch_thread_key' && value.trim()) item.key = cleanText(value.trim()).slice(0, 512);
        return undefined;
      }
      if (parent === 'wp:comment' && stack.at(-2)?.name === 'item') {
        const field = element.name.replace(/^wp:/, '');
        comment[field] = value;
        fieldLines[field] = element.line;
      }
      return undefined;
    },
    end() {
      announce();
    },
  };

  function wxrComment(element: { name: string; line: number }): ImportedComment {
    const current = item!;
    commentCount++;
    const line = commentLine || element.line;
    const lineOf = (field: string) => fieldLines[field] ?? line;
    const sourceId = comment.comment_id?.trim();
    if (!sourceId) throw new ImportError(`comment ${commentCount} has no <wp:comment_id>`, line, 'wp:comment');
    const key = current.key ?? (current.link ? threadKeyOfLink(current.link) : null);
    if (!key) throw new ImportError(`the post of comment ${sourceId} has no usable <link> (got "${current.link ?? ''}")`, current.line, 'item');
    const gmt = comment.comment_date_gmt?.trim();
    const createdAt =
      gmt && !gmt.startsWith('0000')
        ? parseDate(gmt, lineOf('comment_date_gmt'), 'wp:comment_date_gmt')
        : parseDate(comment.comment_date ?? '', lineOf('comment_date'), 'wp:comment_date');
    const approved = (comment.comment_approved ?? '1').trim();
    const status = WP_STATUS[approved];
    if (!status)
      throw new ImportError(`comment ${sourceId}: unknown <wp:comment_approved> "${approved.slice(0, 20)}"`, lineOf('comment_approved'), 'wp:comment_approved');
    const type = (comment.comment_type ?? '').trim();
    const body = cleanText(comment.comment_content ?? '');
    const parent = (comment.comment_parent ?? '').trim();
    return {
      sourceId,
      parentSourceId: parent && parent !== '0' ? parent : null,
      thread: { key, url: httpUrlOrNull(current.link), title: current.title, closed: current.closed },
      author: {
        name:
          cleanText(comment.comment_author ?? '')
            .trim()
            .slice(0, 200) || 'Anonymous',
        email: emailOrNull(comment.comment_author_email),
        url: httpUrlOrNull(comment.comment_author_url),
      },
      body,
      html: sanitizeCommentHtml(paragraphsOf(body)),
      status,
      createdAt,
      ...(type === 'pingback' || type === 'trackback' ? { skipReason: type } : !body.trim() ? { skipReason: 'empty' } : {}),
    };
  }
}

function disqusFormat(sink: ImportSink): XmlFormat {
  const threads = new Map<string, { key: string; url: string | null; title: string | null; closed: boolean }>();
  let thread: Record<string, string> = {};
  let threadId = '';
  let post: Record<string, string> = {};
  let postId = '';
  let threadRef = '';
  let parentRef = '';
  let elementLine = 0;
  sink.source('disqus');

  const dsqId = (element: Element) => element.attributes['dsq:id'] ?? '';

  return {
    root: 'disqus',
    open(element, stack) {
      const parent = stack.at(-2)?.name;
      if (parent !== 'disqus' && !(parent === 'post' && (element.name === 'thread' || element.name === 'parent'))) return;
      if (element.name === 'thread' && parent === 'disqus') {
        thread = {};
        threadId = dsqId(element);
        elementLine = element.line;
      } else if (element.name === 'post' && parent === 'disqus') {
        post = {};
        postId = dsqId(element);
        threadRef = '';
        parentRef = '';
        elementLine = element.line;
      } else if (element.name === 'thread') threadRef = dsqId(element);
      else if (element.name === 'parent') parentRef = dsqId(element);
    },
    close(element, text, stack) {
      const parent = stack.at(-1)?.name;
      const grand = stack.at(-2)?.name;
      if (parent === 'disqus') {
        if (element.name === 'thread') {
          if (!threadId) throw new ImportError('a <thread> has no dsq:id', elementLine, 'thread');
          const link = thread.link ?? '';
          const key = threadKeyOfLink(link);
          if (!key) throw new ImportError(`thread ${threadId} has no usable <link> (got "${link.slice(0, 100)}")`, elementLine, 'thread');
          threads.set(threadId, {
            key,
            url: httpUrlOrNull(link),
            title:
              cleanText(thread.title ?? '')
                .trim()
                .slice(0, 300) || null,
            closed: thread.isClosed === 'true',
          });
        } else if (element.name === 'post') return disqusPost();
        return undefined;
      }
      if (parent === 'thread' && grand === 'disqus') thread[element.name] = text.trim();
      else if (parent === 'post' && grand === 'disqus') post[element.name] = text;
      else if (parent === 'author' && grand === 'post') post[`author.${element.name}`] = text.trim();
      return undefined;
    },
    end() {},
  };

  function disqusPost(): ImportedComment {
    if (!postId) throw new ImportError('a <post> has no dsq:id', elementLine, 'post');
    const thread = threads.get(threadRef);
    // Disqus writes every <thread> before the posts; a post of an unknown thread is a broken file.
    if (!thread) throw new ImportError(`post ${postId} belongs to thread "${threadRef}", which the file does not define before it`, elementLine, 'post');
    const createdAt = parseDate(post.createdAt ?? '', elementLine, 'createdAt');
    const status: CommentStatus =
      post.isSpam?.trim() === 'true' ? 'spam' : post.isDeleted?.trim() === 'true' ? 'rejected' : post.isApproved?.trim() === 'false' ? 'pending' : 'approved';
    const body = cleanText(post.message ?? '');
    return {
      sourceId: postId,
      parentSourceId: parentRef || null,
      thread,
      author: {
        name: cleanText(post['author.name'] ?? post['author.username'] ?? '').slice(0, 200) || 'Anonymous',
        email: emailOrNull(post['author.email']),
        url: httpUrlOrNull(post['author.link'] ?? post['author.url']),
      },
      body,
      html: sanitizeCommentHtml(paragraphsOf(body)),
      status,
      createdAt,
      ...(!body.trim() && { skipReason: 'empty' }),
    };
  }
}
