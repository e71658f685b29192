/** The comment list: loading the thread page by page, the whole list once per load, "load more" by appending. */
import { problemOf, request } from './api.js';
import { renderNode } from './comment.js';
import { append, h } from './dom.js';
import { plural } from './format.js';
import { placeForm } from './form.js';
import { type Item, mark, saveOwn, setText, threadPath, type Widget } from './state.js';
import { type Own, pruneOwn } from './storage.js';
import { buildTree, type TreeNode } from './tree.js';
import type { ThreadPage } from './types.js';

let firstCommentMarked = false;

export function showCount(w: Widget): void {
  const { thread, m } = w;
  setText(w.heading, !thread ? m.region : thread.count ? plural(m.count, thread.count, w.tag) : m.none);
}

/** The writer's own comment as a list item, shown from their copy until the server list has it. */
export function ownItem(c: Own): Item {
  return {
    id: c.id,
    parentId: c.parentId,
    author: { name: c.name, url: c.url },
    createdAt: c.createdAt,
    text: c.body,
    pending: c.status === 'pending',
  };
}

/** The writer's own top-level comments, or their own replies. */
const ownItems = (w: Widget, top: boolean) => w.own.filter((c) => !c.parentId === top).map(ownItem);

/** Heading, status, the whole list and the form's place; the form itself is kept. Only for a new load or language. */
export function renderList(w: Widget): void {
  const focused = w.root.activeElement as HTMLElement | null;
  showCount(w);
  w.bar.hidden = w.comments.length < 2;
  w.nodes.clear();
  // The writer's own top-level comments come first, right under the form; own replies under their parent.
  const tree = buildTree([...ownItems(w, true), ...w.comments, ...ownItems(w, false)]);
  const pages = [];
  for (let i = 0; !i || i < tree.length; i += PAGE) pages.push(pageOf(w, tree.slice(i, i + PAGE)));
  w.tailEl = h('div');
  w.listEl.replaceChildren(...pages, w.tailEl);
  renderTail(w);
  placeForm(w);
  if (focused && w.root.activeElement !== focused && focused.isConnected) focused.focus({ preventScroll: true });
  if (!firstCommentMarked && w.comments.length) {
    firstCommentMarked = true;
    mark('stammtisch:first-comment');
  }
}

/** Loading, error and "load more" under the list, without touching the list. */
export function renderTail(w: Widget): void {
  const { m } = w;
  setText(w.statusEl, w.status ? w.status(m) : '');
  w.tailEl.textContent = '';
  append(w.tailEl, [
    w.state === 'loading' && h('p', { class: 'mu' }, m.loading),
    w.state === 'error' && [
      h('p', { class: 'er' }, w.loadProblem.kind === 'site' ? m.siteUnknown : m.loadFailed),
      h('button', { type: 'button', class: 'sec', onclick: () => loadThread(w, w.pages > 0) }, m.retry),
    ],
    w.state === 'ready' &&
      w.next &&
      h('button', { type: 'button', class: 'sec', onclick: () => loadThread(w, true) }, m.more),
  ]);
  w.host.setAttribute('data-state', w.state);
}

/** Top-level comments per page, as the thread is read. */
const PAGE = 50;

/**
 * One page of the list as its own <ol>. Pages after the first are laid out and
 * painted only near the viewport (content-visibility), so what the browser
 * checks on each frame grows with the pages, not with every comment.
 */
const pageOf = (w: Widget, nodes: TreeNode<Item>[]) =>
  h(
    'ol',
    { class: 'pg' },
    nodes.map((node) => renderNode(w, node)),
  );

/**
 * Appends a page under the list, so a click costs the same on a thread of
 * 10,000 as on one of 100: nothing already shown is built, sorted or measured
 * again. The first new comment takes focus, so keyboard and screen reader
 * users continue where the new page starts.
 */
function appendPage(w: Widget, nodes: TreeNode<Item>[]): void {
  const page = pageOf(w, nodes);
  w.tailEl.before(page);
  const li = page.firstElementChild as HTMLElement | null;
  if (li) {
    li.tabIndex = -1;
    li.focus();
  }
}

/** Reads the first page (a new thread, sort or reload), or the next one (`more`). */
export async function loadThread(w: Widget, more = false, fresh = false): Promise<void> {
  const seq = ++w.loadSeq;
  const cursor = more && w.next ? `&cursor=${encodeURIComponent(w.next)}` : '';
  if (!more) {
    w.comments = [];
    w.next = null;
    w.pages = 0;
  }
  w.state = 'loading';
  if (more) renderTail(w);
  else renderList(w);
  try {
    const page = await request<ThreadPage>(
      `${threadPath(w)}/comments?sort=${w.sort}&limit=${PAGE}${cursor}`,
      fresh ? { cache: 'no-cache' } : undefined,
    );
    if (seq !== w.loadSeq) return;
    // A later page may hold comments the live stream already brought: they are not shown twice.
    const added = more ? page.comments.filter((c) => !w.nodes.has(c.id)) : page.comments;
    w.comments = w.comments.concat(added);
    w.thread = page.thread;
    w.env.onCount(w.site, w.key, w.thread.count);
    w.closed = w.closed || !!w.thread.closed;
    w.next = page.nextCursor;
    w.pages++;
    if (more) {
      w.state = 'ready';
      appendPage(w, buildTree<Item>(added));
      renderTail(w);
    } else {
      w.state = 'ready';
      const listed = new Set(w.comments.map((c) => c.id));
      w.own = pruneOwn(w.own, (id) => listed.has(id), Date.now());
      saveOwn(w);
      renderList(w);
    }
  } catch (err) {
    if (seq !== w.loadSeq) return;
    w.state = 'error';
    w.loadProblem = problemOf(err);
    if (more) renderTail(w);
    else renderList(w);
  }
}
