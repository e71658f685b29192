import { TAGS } from '@stammtisch/contract/http';
import { openApiRouter } from '@stammtisch/http';
import { Feed } from 'feed';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { routes } from '../shared/routes.js';
import {
  type PublicRoutesDeps,
  ThreadCommentsQuery,
  ThreadParams,
  type ThreadView,
  loadThreadView,
} from './public-routes.js';

type PublicComment = ThreadView['comments'][number];

const TEXT = {
  de: {
    count: (n: number) => (n === 1 ? '1 Kommentar' : `${n} Kommentare`),
    none: 'Noch keine Kommentare.',
    more: 'Weitere Kommentare',
    feed: 'Kommentare zu',
  },
  en: {
    count: (n: number) => (n === 1 ? '1 comment' : `${n} comments`),
    none: 'No comments yet.',
    more: 'More comments',
    feed: 'Comments on',
  },
};

function textFor(locale: string | undefined) {
  return locale?.toLowerCase().startsWith('en') ? TEXT.en : TEXT.de;
}

/** Nests the flat, ordered list (each reply after its parent) back into a tree. */
function nest(comments: PublicComment[]) {
  type Node = PublicComment & { replies: Node[] };
  const byId = new Map<string, Node>();
  const roots: Node[] = [];
  for (const comment of comments) {
    const node: Node = { ...comment, replies: [] };
    byId.set(comment.id, node);
    const parent = comment.parentId ? byId.get(comment.parentId) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  return roots;
}

function renderHtmlFragment(view: ThreadView, locale: string | undefined, moreUrl: string | null) {
  const t = textFor(locale);
  const lang = locale?.toLowerCase().startsWith('en') ? 'en' : 'de';
  const dateFormat = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  // hono/html escapes every interpolation; only the comment HTML, sanitized when it was written, goes in raw.
  const item = (node: ReturnType<typeof nest>[number]): HtmlEscapedString | Promise<HtmlEscapedString> => {
    const author = node.author.url
      ? html`<a href="${node.author.url}" rel="nofollow ugc noopener">${node.author.name}</a>`
      : node.author.name;
    const replies = node.replies.length ? html`<ol class="stammtisch-replies">${node.replies.map(item)}</ol>` : '';
    return html`<li id="comment-${node.id}"><article><header><strong>${author}</strong> <time datetime="${node.createdAt}">${dateFormat.format(new Date(node.createdAt))}</time></header><div class="stammtisch-body">${raw(node.html)}</div></article>${replies}</li>`;
  };
  const list = view.comments.length
    ? html`<ol class="stammtisch-list">${nest(view.comments).map(item)}</ol>`
    : html`<p>${t.none}</p>`;
  const more = moreUrl ? html`<p><a href="${moreUrl}">${t.more}</a></p>` : '';
  return html`<section class="stammtisch-comments" lang="${lang}"><h2>${t.count(view.thread.count)}</h2>${list}${more}</section>\n`;
}

const reads = routes(TAGS.reads);

const htmlRoute = reads.get(
  '/v1/sites/{siteId}/threads/{threadKey}/comments.html',
  'The thread as a sanitized HTML fragment',
  {
    params: ThreadParams,
    query: ThreadCommentsQuery,
    answers: { 200: 'HTML fragment', 400: 'invalid_request naming `limit`, `sort` or `cursor`', 404: 'site_not_found' },
    produces: ['text/html'],
  },
);

const atomRoute = reads.get('/v1/sites/{siteId}/threads/{threadKey}/comments.atom', 'The thread as an Atom feed', {
  params: ThreadParams,
  answers: { 200: 'Atom feed', 404: 'site_not_found' },
  produces: ['application/atom+xml'],
});

/**
 * The approved thread without JavaScript: a sanitized HTML fragment (for
 * <noscript>, search engines and server-side includes) and an Atom feed.
 * Comment HTML was sanitized when it was written; everything else is escaped here.
 */
export function threadFormatRoutes(deps: PublicRoutesDeps & { publicApiUrl?: string }) {
  const app = openApiRouter();

  app.openapi(htmlRoute, async (c) => {
    const { siteId, threadKey } = c.req.valid('param');
    const query = c.req.valid('query');
    const site = await deps.siteCache.getSite(siteId);
    const view = await loadThreadView(deps, siteId, threadKey, query);
    const moreUrl = view.nextCursor
      ? `?${new URLSearchParams({ sort: query.sort, limit: String(query.limit), cursor: view.nextCursor })}`
      : null;
    c.header('Cache-Control', 'public, max-age=10, stale-while-revalidate=60');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:");
    return c.html(renderHtmlFragment(view, site?.settings.locale, moreUrl));
  });

  app.openapi(atomRoute, async (c) => {
    const { siteId, threadKey } = c.req.valid('param');
    const site = await deps.siteCache.getSite(siteId);
    const view = await loadThreadView(deps, siteId, threadKey, { sort: 'newest', limit: 50 });
    const self = `${deps.publicApiUrl ?? new URL(c.req.url).origin}/v1/sites/${encodeURIComponent(siteId)}/threads/${encodeURIComponent(threadKey)}/comments.atom`;
    const newest = Math.max(0, ...view.comments.map((comment) => Date.parse(comment.createdAt)));
    const feed = new Feed({
      title: `${textFor(site?.settings.locale).feed} ${view.thread.title ?? view.thread.key}`,
      id: `tag:stammtisch,2026:${siteId}:${threadKey}`,
      link: view.thread.url ?? undefined,
      feedLinks: { atom: self },
      updated: new Date(newest),
      copyright: '',
      generator: 'Stammtisch',
    });
    // A feed reader wants the newest first, replies included, not thread order.
    const newestFirst = [...view.comments].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const comment of newestFirst) {
      feed.addItem({
        // The feed's titles are typed html: escape the name so "<b>" stays text.
        title: html`${comment.author.name}`.toString(),
        id: `urn:uuid:${comment.id}`,
        link: view.thread.url ? `${view.thread.url}#comment-${comment.id}` : self,
        date: new Date(comment.createdAt),
        author: [{ name: comment.author.name, ...(comment.author.url && { link: comment.author.url }) }],
        content: comment.html,
      });
    }
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=60, stale-while-revalidate=300');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(feed.atom1());
  });

  return app;
}
