import type { ImportOptions, WxrCommentType } from './model.js';
import { type RawComment, type WxrItem, clip, wxrEntry } from './wxr-entry.js';
import type { Emit, ImportSink, XmlFormat } from './xml-reader.js';

/**
 * WordPress WXR (1.0–1.2). Comments stream out as they close, except when a
 * post has not yet said whether it is public (`<wp:status>` and
 * `<wp:post_password>`, which WordPress writes before the comments): then its
 * comments wait for the end of the `<item>`, so a private post's comment is
 * never taken for a public one.
 */
export function wxrFormat(sink: ImportSink, emit: Emit, options: ImportOptions): XmlFormat {
  const entryOptions = {
    types: new Set<WxrCommentType>(options.types ?? ['comment']),
    threadKey: options.threadKey,
  };
  let channelLink = '';
  let baseUrl = '';
  let sourceAnnounced = false;
  let item: WxrItem | null = null;
  let comment: RawComment | null = null;

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
        item = {
          line: element.line,
          title: null,
          link: null,
          guid: null,
          postId: null,
          postType: 'post',
          postDate: '',
          postDateGmt: '',
          status: '',
          password: '',
          closed: false,
          metaKey: null,
          exactKey: null,
          sawStatus: false,
          sawPassword: false,
          waiting: [],
          count: 0,
        };
      } else if (element.name === 'wp:comment' && parent === 'item' && item) {
        comment = { fields: {}, lines: {}, line: element.line, index: ++item.count };
      }
    },
    close(element, value, stack) {
      const parent = stack.at(-1)?.name;
      if (parent === 'channel') {
        if (element.name === 'link') channelLink = value.trim();
        else if (element.name === 'wp:base_blog_url') baseUrl = value.trim();
        else if (element.name === 'item' && item) {
          for (const raw of item.waiting) emit(wxrEntry(item, raw, entryOptions));
          item = null;
        }
        return;
      }
      if (!item) return;
      if (parent === 'item') {
        const text = value.trim();
        switch (element.name) {
          case 'title':
            item.title = clip(text, 300);
            break;
          case 'link':
            item.link = text || null;
            break;
          case 'guid':
            item.guid = text || null;
            break;
          case 'wp:post_id':
            item.postId = text || null;
            break;
          case 'wp:post_type':
            item.postType = text;
            break;
          case 'wp:post_date':
            item.postDate = text;
            break;
          case 'wp:post_date_gmt':
            item.postDateGmt = text;
            break;
          case 'wp:status':
            item.status = text.toLowerCase();
            item.sawStatus = true;
            break;
          case 'wp:post_password':
            item.password = value;
            item.sawPassword = true;
            break;
          case 'wp:comment_status':
            item.closed = text === 'closed';
            break;
          case 'wp:comment':
            if (comment) {
              if (item.sawStatus && item.sawPassword) emit(wxrEntry(item, comment, entryOptions));
              else item.waiting.push(comment);
            }
            comment = null;
            break;
        }
        return;
      }
      if (parent === 'wp:postmeta' && stack.at(-2)?.name === 'item') {
        if (element.name === 'wp:meta_key') item.metaKey = value.trim();
        else if (element.name === 'wp:meta_value' && item.metaKey === 'stammtisch_thread_key')
          item.exactKey = clip(value, 512);
        return;
      }
      if (parent === 'wp:comment' && stack.at(-2)?.name === 'item' && comment) {
        const field = element.name.replace(/^wp:/, '');
        comment.fields[field] = value;
        comment.lines[field] = element.line;
      }
    },
    end() {
      announce();
    },
  };
}
