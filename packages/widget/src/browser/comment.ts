/** One comment on screen: its article (author line, body, actions) and its list item with replies. */
import { h } from './dom.js';
import { isHttpUrl } from './errors.js';
import { absTime, relTime } from './format.js';
import { openReply } from './form.js';
import { castVote, removeOwn, saveEdit } from './reader-actions.js';
import { byId, type Item, type Widget } from './state.js';
import type { TreeNode } from './tree.js';

/** The writer may still edit or delete it: they hold its edit token and the site's window is open. */
function mayChange(w: Widget, c: Item): boolean {
  const minutes = w.thread?.editWindowMinutes ?? 15;
  return !!w.tokens[c.id] && !c.deleted && Date.now() - Date.parse(c.createdAt) < minutes * 60000;
}

function renderBody(w: Widget, node: TreeNode<Item>): HTMLElement {
  const c = node.item;
  const { m } = w;
  const body = h('div', { class: 'b' });
  if (c.deleted) body.append(h('p', { class: 'mu' }, m.deleted));
  else if (w.editing === c.id) {
    const area = h('textarea', { 'aria-label': m.body, rows: 4, maxlength: 10000 });
    // The writer's own copy while pending; a published comment has only its rendered html.
    area.value = c.text || '';
    body.append(
      area,
      h(
        'div',
        { class: 'act' },
        h('button', { type: 'button', class: 'btn', onclick: () => saveEdit(w, node, area.value) }, m.save),
        h('button', { type: 'button', class: 'lnk', onclick: () => redraw(w, node, (w.editing = null)) }, m.cancel),
      ),
    );
    setTimeout(() => area.focus());
  }
  // The server sanitized `html`; this is the widget's only innerHTML.
  else if (c.html != null) body.innerHTML = c.html;
  else body.append(h('p', { class: 'pre' }, c.text || ''));
  return body;
}

export function renderArticle(w: Widget, node: TreeNode<Item>): HTMLElement {
  const c = node.item;
  const { m, tag } = w;
  const mode = w.thread?.votes ?? 'up';
  const url = isHttpUrl(c.author.url) ? c.author.url : null;
  // Root-relative avatar URLs are on the api.
  const avatar = c.author.avatar && (c.author.avatar[0] === '/' ? w.env.api : '') + c.author.avatar;
  // The name is "Gefällt mir 3" and contains the visible "3" (axe: label-content-name-mismatch); the arrow is decoration.
  const vote = (value: number, label: string, n: number) =>
    h(
      'button',
      {
        type: 'button',
        class: 'vt',
        'aria-pressed': String(w.myVotes[c.id] === value),
        onclick: () => castVote(w, node, value),
      },
      h('span', { 'aria-hidden': 'true' }, value > 0 ? '▲ ' : '▼ '),
      h('span', { class: 'hp' }, `${label} `),
      h('span', { class: 'vn' }, String(n)),
    );
  const live = !c.pending && !c.deleted;
  return h(
    'article',
    null,
    h(
      'div',
      { class: 'm' },
      avatar && h('img', { class: 'av', src: avatar, alt: '', loading: 'lazy' }),
      url
        ? h('a', { class: 'n', href: url, rel: 'nofollow ugc noopener', target: '_blank' }, c.author.name)
        : h('span', { class: 'n' }, c.author.name),
      c.author.verified && h('span', { class: 'v' }, m.verified(c.author.provider)),
      node.replyTo && h('span', { class: 'mu' }, m.inReplyTo(node.replyTo.author.name)),
      h('time', { datetime: c.createdAt, title: absTime(c.createdAt, tag) }, relTime(c.createdAt, Date.now(), tag)),
      c.editedAt && h('span', { class: 'mu ed', title: absTime(c.editedAt, tag) }, m.edited),
      c.pinned && h('span', { class: 'badge pin' }, m.pinned),
      c.pending && h('span', { class: 'badge' }, m.pending),
    ),
    renderBody(w, node),
    h(
      'div',
      { class: 'act' },
      live &&
        c.votes &&
        mode !== 'off' && [vote(1, m.up, c.votes.up), mode === 'updown' && vote(-1, m.down, c.votes.down)],
      live && !w.closed && h('button', { type: 'button', class: 'lnk rb', onclick: () => openReply(w, c) }, m.reply),
      mayChange(w, c) &&
        w.editing !== c.id && [
          h('button', { type: 'button', class: 'lnk ec', onclick: () => redraw(w, node, (w.editing = c.id)) }, m.edit),
          h(
            'button',
            { type: 'button', class: 'lnk dc', onclick: () => removeOwn(w, node) },
            w.sure === c.id ? m.delSure : m.del,
          ),
        ],
    ),
  );
}

/** The list item of a comment and its replies; remembered by id so later changes touch only this node. */
export function renderNode(w: Widget, node: TreeNode<Item>): HTMLElement {
  const c = node.item;
  w.nodes.set(c.id, node);
  return h(
    'li',
    { id: `c-${c.id}`, class: c.pending ? 'c p' : 'c' },
    renderArticle(w, node),
    h('div', { id: `r-${c.id}`, class: 'rp' }),
    node.children.length > 0 &&
      h(
        'ol',
        null,
        node.children.map((child) => renderNode(w, child)),
      ),
  );
}

/**
 * Re-renders one comment in place (a vote, an edit, a live change). The reply
 * slot and the replies stay as they are; focus inside the old article moves to
 * the same kind of control in the new one.
 */
export function redraw(w: Widget, node: TreeNode<Item>, _?: unknown): void {
  const li = byId(w, `c-${node.item.id}`);
  if (!li) return;
  const old = li.querySelector(':scope>article')!;
  const focused = w.root.activeElement;
  // The last class names the control: vt (vote), rb (reply), ec (edit), dc (delete).
  const had = focused && old.contains(focused) && focused.className.split(' ').pop();
  const article = renderArticle(w, node);
  old.replaceWith(article);
  li.className = node.item.pending ? 'c p' : 'c';
  if (had) (article.querySelector<HTMLElement>(`.${had}`) || li).focus({ preventScroll: true });
}
