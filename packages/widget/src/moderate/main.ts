/**
 * The moderation page's script (`/moderate/app.js`), bundled by esbuild like
 * the widget. The server renders the page in the moderator's language
 * (`<html lang>`); this script speaks the same one.
 */
import { createApi } from './api.js';
import { byId } from './dom.js';
import { MODERATE_DEFAULT_LANGUAGE, moderateLanguages } from './i18n/index.js';
import { connectLive } from './live.js';
import { createQueue } from './queue.js';
import { createStats } from './stats.js';

const lang =
  document.documentElement.lang in moderateLanguages ? document.documentElement.lang : MODERATE_DEFAULT_LANGUAGE;
const t = moderateLanguages[lang]!;
const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
const api = createApi(csrf);
const statusEl = byId('status');
const searchEl = byId<HTMLInputElement>('q');
const helpEl = byId('help');
const queueView = byId('queue-view');
const statsView = byId('stats-view');

function say(text: string, isError = false): void {
  statusEl.textContent = text;
  statusEl.className = isError ? 'error' : '';
}

const queue = createQueue({ api, t, lang, say });
const stats = createStats({ api, t, lang });

function toggleHelp(show?: boolean): void {
  helpEl.hidden = show === undefined ? !helpEl.hidden : !show;
}

function showView(which: 'queue' | 'stats'): void {
  queueView.hidden = which !== 'queue';
  statsView.hidden = which !== 'stats';
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-view]'))
    b.setAttribute('aria-pressed', String(b.dataset.view === which));
  if (which === 'stats') void stats.load();
}

/** The keyboard shortcuts (the help panel lists them); lower case acts on the current item, upper case on the selection. */
const KEYS: Record<string, () => void> = {
  j: () => queue.move(1),
  k: () => queue.move(-1),
  a: () => queue.decide('approve'),
  r: () => queue.decide('reject'),
  s: () => queue.decide('spam'),
  p: () => void queue.togglePin(),
  x: () => queue.toggleSelect(),
  A: () => queue.bulk('approve'),
  R: () => queue.bulk('reject'),
  S: () => queue.bulk('spam'),
  u: () => void queue.undo(),
  '/': () => {
    searchEl.focus();
    searchEl.select();
  },
  '?': () => toggleHelp(),
  Escape: () => toggleHelp(false),
};

const TYPING = new Set(['text', 'search', 'password', 'email', 'number', 'url']);
document.addEventListener('keydown', (e) => {
  const target = e.target as HTMLElement | null;
  const typing =
    target &&
    (target.tagName === 'TEXTAREA' ||
      target.tagName === 'SELECT' ||
      (target instanceof HTMLInputElement && TYPING.has(target.type)));
  if (typing) {
    if (e.key === 'Escape') target.blur();
    if (e.key === 'Enter' && target === searchEl) {
      e.preventDefault();
      target.blur();
      queue.search();
    }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey || queueView.hidden) return;
  const action = KEYS[e.key];
  if (!action) return;
  e.preventDefault();
  action();
});

// The toolbar: the same actions as the keys, for the mouse.
document.addEventListener('click', (e) => {
  const target = (e.target as HTMLElement).closest<HTMLElement>('[data-bulk], [data-view], [data-toolbar]');
  if (!target) return;
  const bulk = target.dataset.bulk;
  if (bulk === 'approve' || bulk === 'reject' || bulk === 'spam') queue.bulk(bulk);
  if (target.dataset.view === 'queue' || target.dataset.view === 'stats') showView(target.dataset.view);
  if (target.dataset.toolbar === 'undo') void queue.undo();
  if (target.dataset.toolbar === 'help') toggleHelp();
  if (target.dataset.toolbar === 'help-close') toggleHelp(false);
});

api<{ sites?: Array<{ id: string; name: string }> }>('GET', '/v1/admin/sites')
  .then((data) => {
    const siteEl = byId<HTMLSelectElement>('site');
    for (const s of data.sites ?? []) {
      const o = document.createElement('option');
      o.value = s.id;
      o.textContent = `${s.name} (${s.id})`;
      siteEl.appendChild(o);
      stats.addSite(s.id, s.name);
    }
  })
  // The queue works without the site filter; say why it is empty.
  .catch((e: Error) => say(e.message, true));

void queue.load().then(() => {
  document.body.dataset.ready = 'true';
});

connectLive({
  held: (item) => queue.held(item),
  decided: (event) => queue.decided(event),
  connected: (afterDrop) => {
    document.body.dataset.live = 'open';
    if (afterDrop) {
      say(t.live);
      void queue.load();
    }
  },
  dropped: () => {
    document.body.dataset.live = 'reconnecting';
    say(t.reconnecting, true);
  },
});
