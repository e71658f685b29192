/**
 * The widget: mounts into a container's shadow root and keeps it up to date.
 * The parts live beside this file: frame.ts (the frame and language), form.ts
 * and submit.ts (writing), list.ts (loading and "load more"), comment.ts (one
 * comment), reader-actions.ts (votes, edit, delete), live-update.ts (the live
 * stream, one node at a time). They share the `Widget` object of state.ts.
 */
import { threadKeyOf } from './config.js';
import type { Draft } from './errors.js';
import { readLang, renderFrame, themeOf } from './frame.js';
import { languages } from './i18n/index.js';
import { loadProviders, takeToken } from './identity.js';
import { follow } from './live.js';
import { onLive } from './live-update.js';
import { loadThread } from './list.js';
import { type Env, ownKey, type Widget } from './state.js';
import { load, type Own } from './storage.js';
import { AUTHOR_KEY, poll } from './submit.js';

export { mark } from './state.js';
export type { Env } from './state.js';

function readKey(host: HTMLElement): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]');
  return threadKeyOf(host.getAttribute('data-thread'), canonical?.href, location.pathname);
}

/** A new widget's state; the elements are filled in by renderFrame(). */
function createWidget(host: HTMLElement, env: Env): Widget {
  const site = host.getAttribute('data-site') || host.getAttribute('data-stammtisch') || '';
  // Commenter sign-in (identity.ts): the account's name replaces the name field.
  const me = takeToken(site);
  const remembered = load<Partial<Draft>>(AUTHOR_KEY, {});
  const draft: Draft = {
    name: me ? me.name : remembered.name || '',
    email: remembered.email || '',
    url: remembered.url || '',
    body: '',
    hp: '',
  };
  const tokensKey = `stammtisch:edit:${site}`;
  const votesKey = `stammtisch:votes:${site}`;
  // Left out: what start() sets, and what is null, false or zero until something happens (undefined reads the same).
  return {
    env,
    host,
    root: host.attachShadow({ mode: 'open' }),
    site,
    sitePath: `/v1/sites/${encodeURIComponent(site)}`,
    m: languages.en!,
    sort: 'oldest',
    comments: [],
    pages: 0,
    loadSeq: 0,
    state: 'loading',
    own: [],
    me,
    providers: [],
    draft,
    errors: [],
    renderedAt: Date.now(),
    unfollow: () => {},
    tokensKey,
    votesKey,
    tokens: load<Record<string, string>>(tokensKey, {}),
    myVotes: load<Record<string, number>>(votesKey, {}),
    nodes: new Map(),
    inputs: {},
    errorEls: {},
  } as unknown as Widget;
}

/** Opens the thread the container names: first page, the writer's pending comments, the live stream. */
function start(w: Widget): void {
  w.key = readKey(w.host);
  w.own = load<Own[]>(ownKey(w), []);
  w.thread = null;
  w.closed = false;
  w.replyTo = null;
  w.status = null;
  w.polls = 0;
  w.fresh = 0;
  loadThread(w);
  poll(w);
  w.unfollow();
  w.unfollow = follow(`${w.env.api}${w.sitePath}/threads/${encodeURIComponent(w.key)}/events`, (type, data) =>
    onLive(w, type, data),
  );
}

/** Renders the widget into a shadow root on `host` and keeps it up to date. */
export function mount(host: HTMLElement, env: Env): void {
  if (host.shadowRoot) return;
  const w = createWidget(host, env);
  const observer = new MutationObserver(() => {
    w.section.setAttribute('data-t', themeOf(host));
    if (readKey(host) !== w.key) {
      w.idem = null;
      start(w);
    }
    const before = w.m;
    if (readLang(w) !== w.tag || w.m !== before) renderFrame(w);
  });
  observer.observe(host, { attributes: true, attributeFilter: ['data-lang', 'data-theme', 'data-thread'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  renderFrame(w);
  start(w);
  loadProviders(env.api, w.sitePath).then(
    (list) => {
      w.providers = list;
      if (list.length) renderFrame(w);
    },
    // Sign-in is optional: without the provider list the form offers the name field only.
    (err) => console.warn('stammtisch: no sign-in providers', err),
  );
}
