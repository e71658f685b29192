/**
 * Changes to single comments, from the live stream or the reader's own
 * actions. Each touches only the affected comment's node (keyed by its id):
 * the rest of the list, focus, the scroll position and an open reply form
 * stay as they are.
 */
import { renderNode, redraw } from './comment.js';
import { h } from './dom.js';
import { plural } from './format.js';
import { placeForm } from './form.js';
import { showCount } from './list.js';
import { byId, type Item, saveOwn, showStatus, type Widget } from './state.js';
import { MAX_DEPTH, type TreeNode } from './tree.js';
import type { Comment } from './types.js';

/** An event of the thread stream (live.ts): a comment (new, edited, deleted, voted, pinned) or the count. */
export function onLive(w: Widget, type: string, data: unknown): void {
  if (type === 'count') {
    const { count } = data as { count: number };
    if (w.thread) w.thread.count = count;
    showCount(w);
    w.env.onCount(w.site, w.key, count);
    return;
  }
  const c = data as Comment;
  const mine = w.own.some((o) => o.id === c.id);
  if (mine) {
    w.own = w.own.filter((o) => o.id !== c.id);
    saveOwn(w);
  }
  const i = w.comments.findIndex((x) => x.id === c.id);
  const node = w.nodes.get(c.id);
  if (i >= 0) w.comments[i] = c;
  else if (!c.deleted) {
    if (w.sort === 'newest' && !c.parentId) w.comments.unshift(c);
    else w.comments.push(c);
  }
  if (node) {
    const moved = !node.item.pinned !== !c.pinned && !c.parentId;
    node.item = c;
    if (c.deleted) removeComment(w, node);
    else redraw(w, node);
    const li = byId(w, `c-${c.id}`);
    if (moved && li) placeRoot(w, li, c);
  } else if (!c.deleted) {
    insertComment(w, c);
    if (!mine) {
      w.fresh++;
      showStatus(w, (x) => plural(x.fresh, w.fresh, w.tag));
    }
  }
  w.bar.hidden = w.comments.length < 2;
}

/**
 * A comment taken back: it stays, as "deleted", while it has replies;
 * otherwise its node leaves the list.
 */
export function removeComment(w: Widget, node: TreeNode<Item>): void {
  const c = node.item;
  c.deleted = true;
  const li = byId(w, `c-${c.id}`);
  if (w.comments.some((x) => x.parentId === c.id) || w.own.some((o) => o.parentId === c.id)) redraw(w, node);
  else {
    w.comments = w.comments.filter((x) => x.id !== c.id);
    w.nodes.delete(c.id);
    if (li) {
      const list = li.parentElement!;
      li.remove();
      // An emptied reply list goes; a page of the list stays.
      if (list.parentElement !== w.listEl && !list.children.length) list.remove();
    }
    // The reply form may have been open under it.
    if (w.replyTo?.id === c.id) placeForm(w);
  }
  showCount(w);
}

/** Puts a comment that is not on screen yet where the list would have it: under its parent, or among the top level. */
export function insertComment(w: Widget, item: Item): void {
  const node: TreeNode<Item> = { item, children: [], replyTo: null };
  let host = item.parentId ? byId(w, `c-${item.parentId}`) : null;
  const parent = host && w.nodes.get(item.parentId!);
  if (!host || !parent) {
    placeRoot(w, renderNode(w, node), item);
    return;
  }
  // Replies deeper than MAX_DEPTH join their parent's list, marked "in reply to", as buildTree nests them.
  if (depthOf(host) >= MAX_DEPTH) {
    host = host.parentElement!.closest<HTMLElement>('li.c')!;
    node.replyTo = parent.item;
  }
  w.nodes.get(host.id.slice(2))!.children.push(node);
  let list = host.querySelector(':scope>ol');
  if (!list) host.append((list = h('ol')));
  list.append(renderNode(w, node));
}

/** How many comments a list item is nested in. */
function depthOf(li: HTMLElement): number {
  let depth = 0;
  for (let up = li.parentElement!.closest('li.c'); up; up = up.parentElement!.closest('li.c')) depth++;
  return depth;
}

/**
 * Moves or inserts a top-level comment's node to its place: the writer's own
 * pending comments first (under the form), then pinned ones, then by date as
 * the thread is sorted. For "best" the server's order stands and a new comment goes last.
 */
function placeRoot(w: Widget, li: HTMLElement, a: Item): void {
  const before = [...w.listEl.querySelectorAll('.pg>li')].find((other) => {
    const b = other !== li && w.nodes.get(other.id.slice(2))!.item;
    if (!b || b.pending) return false;
    if (a.pending || !a.pinned !== !b.pinned) return a.pending || a.pinned;
    return (
      !a.pinned && (w.sort === 'newest' ? a.createdAt > b.createdAt : w.sort === 'oldest' && a.createdAt < b.createdAt)
    );
  });
  if (before) before.before(li);
  else (w.tailEl.previousSibling as HTMLElement).append(li);
}
