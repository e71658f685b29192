import { absTime, plural } from '../browser/format.js';
import { el } from './dom.js';
import type { ModerateMessages } from './i18n/index.js';
import type { DecisionName } from './i18n/types.js';
import type { QueueItem } from './types.js';

export interface ItemView {
  current: boolean;
  selected: boolean;
  /** The page's language tag, for dates and numbers. */
  lang: string;
  t: ModerateMessages;
}

const DECISIONS: DecisionName[] = ['approve', 'reject', 'spam'];

/**
 * One queue item: who wrote it where, the rendered comment, the spam
 * stage's reasons, earlier versions of an edited comment, and a button for
 * every action the keyboard has. Buttons carry `data-action`; the page
 * listens once on the list.
 */
export function renderItem(item: QueueItem, view: ItemView): HTMLLIElement {
  const { t, lang } = view;
  const li = el('li', 'item');
  li.dataset.id = item.id;
  li.id = `c-${item.id}`;
  if (view.current) {
    li.classList.add('current');
    li.setAttribute('aria-current', 'true');
  }
  if (view.selected) li.classList.add('selected');
  if (item.fresh) li.classList.add('fresh');

  const head = el('div', 'head');
  const mark = el('input', 'mark');
  mark.type = 'checkbox';
  mark.checked = view.selected;
  mark.dataset.action = 'select';
  mark.setAttribute('aria-label', t.actionOn(t.select, item.author.name));
  head.appendChild(mark);
  head.appendChild(el('strong', 'author', item.author.name));
  if (item.author.email) head.appendChild(el('span', 'email', item.author.email));
  if (item.author.verified) head.appendChild(el('span', 'badge', item.author.provider || t.verified));
  if (item.pinned) head.appendChild(el('span', 'badge pinned', t.pinned));
  if (item.fresh) head.appendChild(el('span', 'badge fresh-mark', t.fresh));
  const thread = el('a', 'thread', item.thread.title || item.thread.key);
  thread.href = item.thread.url || '#';
  thread.target = '_blank';
  thread.rel = 'noopener noreferrer';
  thread.tabIndex = -1;
  head.appendChild(thread);
  head.appendChild(el('span', 'site', item.site));
  const when = el('time', 'when', absTime(item.createdAt, lang));
  when.dateTime = item.createdAt;
  head.appendChild(when);
  const score = el('span', 'score', t.score(Math.round(item.score * 100)));
  score.classList.add(item.score >= 0.9 ? 'high' : item.score >= 0.5 ? 'mid' : 'low');
  head.appendChild(score);
  if (item.reports) head.appendChild(el('span', 'reports', plural(t.reports, item.reports, lang)));
  li.appendChild(head);

  const body = el('div', 'body');
  // Rendered and sanitized on the server (the same HTML readers see); the CSP forbids scripts anyway.
  body.innerHTML = item.html;
  li.appendChild(body);

  if (item.versions?.length) li.appendChild(renderVersions(item.versions, view));

  if (item.reasons?.length) {
    const reasons = el('ul', 'reasons');
    for (const r of item.reasons) {
      const rl = el('li', r.weight > 0 ? 'against' : 'for');
      rl.appendChild(el('code', '', r.check));
      rl.appendChild(
        document.createTextNode(` ${r.weight > 0 ? '+' : ''}${Number(r.weight).toFixed(1)} · ${r.detail}`),
      );
      reasons.appendChild(rl);
    }
    li.appendChild(reasons);
  }

  const actions = el('div', 'actions');
  for (const action of DECISIONS) {
    // No button for the status the comment has already (approve in the approved queue).
    if (item.status === ({ approve: 'approved', reject: 'rejected', spam: 'spam' } as const)[action]) continue;
    actions.appendChild(button(action, t.action[action], item, t));
  }
  // Pinning orders a published thread: it is offered on approved comments only.
  if (item.status === 'approved')
    actions.appendChild(button(item.pinned ? 'unpin' : 'pin', item.pinned ? t.unpin : t.pin, item, t));
  li.appendChild(actions);
  return li;
}

function button(action: string, label: string, item: QueueItem, t: ModerateMessages): HTMLButtonElement {
  const b = el('button', `act act-${action}`, label);
  b.type = 'button';
  b.dataset.action = action;
  b.setAttribute('aria-label', t.actionOn(label, item.author.name));
  return b;
}

function renderVersions(versions: NonNullable<QueueItem['versions']>, view: ItemView): HTMLDetailsElement {
  const details = el('details', 'versions');
  details.appendChild(el('summary', '', plural(view.t.earlierVersions, versions.length, view.lang)));
  const list = el('ol');
  for (const v of versions) {
    const entry = el('li');
    const when = el('time', 'when', view.t.editedAt(absTime(v.editedAt, view.lang)));
    when.dateTime = v.editedAt;
    entry.appendChild(when);
    // The raw Markdown the writer typed then, shown as text.
    entry.appendChild(el('pre', 'version-body', v.body));
    list.appendChild(entry);
  }
  details.appendChild(list);
  return details;
}
