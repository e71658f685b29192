import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Shared by the worker (comments written through the widget) and the api
// (imports), so there is one gate for every comment's HTML, whatever its source.

// The Markdown subset readers may use: emphasis, links, code, lists, quotes,
// line breaks. No raw HTML, images, headings or tables: a comment is not a page.
const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true }).enable([
  'paragraph',
  'newline',
  'escape',
  'entity',
  'emphasis',
  'backticks',
  'link',
  'linkify',
  'list',
  'blockquote',
  'code',
  'fence',
]);

/**
 * Only absolute http(s) and mailto targets are links. A relative one
 * (`/wp-admin/options.php`, `../logout`, `?action=delete`, `//host`) would
 * resolve against whatever page embeds the comment, so it is no link at all.
 */
export function isAllowedLinkTarget(href: string): boolean {
  return /^(https?:\/\/[^/\\\s]|mailto:[^\s])/i.test(href.trim());
}
// markdown-it calls this for every link target: a refused one stays text ("[b](/x)" as typed).
markdown.validateLink = isAllowedLinkTarget;

/**
 * The sanitizer is the real gate: whatever the parser emits, only these tags
 * and attributes survive, links are http(s)/mailto only, and every link is
 * marked as user content that search engines must not follow.
 */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...(attribs.href && isAllowedLinkTarget(attribs.href) ? { href: attribs.href } : {}),
        rel: 'nofollow ugc noopener',
      },
    }),
  },
};

/**
 * For HTML that arrives as HTML (WordPress, Disqus): the same allowlist, but a
 * tag outside it is dropped instead of shown as text (`<script>` and `<style>`
 * with their content), and the old presentational tags map to their meaning.
 */
const IMPORTED_HTML_OPTIONS: sanitizeHtml.IOptions = {
  ...SANITIZE_OPTIONS,
  disallowedTagsMode: 'discard',
  transformTags: {
    // A relative link in imported HTML loses the link and keeps its text (a tag outside the allowlist is unwrapped).
    a: (tagName, attribs): sanitizeHtml.Tag =>
      attribs.href && isAllowedLinkTarget(attribs.href)
        ? { tagName, attribs: { href: attribs.href, rel: 'nofollow ugc noopener' } }
        : { tagName: 'unlinked', attribs: {} },
    b: 'strong',
    i: 'em',
    tt: 'code',
  },
};

/** Renders a comment body (Markdown subset) to HTML that is safe to insert as is. */
export function renderCommentHtml(body: string): string {
  return sanitizeHtml(markdown.render(body), SANITIZE_OPTIONS).trim();
}

/** Same gate for HTML that arrives as HTML (imports from WordPress or Disqus). */
export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, IMPORTED_HTML_OPTIONS).trim();
}
