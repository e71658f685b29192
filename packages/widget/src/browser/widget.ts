import { problemOf, randomId, request } from './api.js';
import { browserLanguages, pickLanguage, threadKeyOf } from './config.js';
import { append, h } from './dom.js';
import { type Draft, FIELDS, type Field, isHttpUrl, normalizeUrl, type Problem, validate } from './errors.js';
import { absTime, inTime, plural, relTime } from './format.js';
import { languages, type Messages } from './i18n/index.js';
import { authBox, loadProviders, type Me, type Provider, signOut, takeToken } from './identity.js';
import { load, type Own, pruneOwn, save } from './storage.js';
import { css } from './styles.js';
import { buildTree, type TreeNode } from './tree.js';
import type { Author, Comment, ThreadInfo, ThreadPage } from './types.js';

export interface Env {
  /** Base URL for reads (no trailing slash). */
  api: string;
  /** Base URL for writes (no trailing slash). */
  ingest: string;
  /** Called after every full render with the language tag in use. */
  onLang?: (tag: string) => void;
  /** Called with the thread's approved count whenever the widget has read it. */
  onCount?: (site: string, key: string, count: number) => void;
}

/** A comment as rendered: from the server (`html`) or the writer's own copy (`text`). */
interface Item {
  id: string;
  parentId: string | null;
  author: Author;
  createdAt: string;
  html?: string;
  text?: string;
  pending?: boolean;
}

/** A message that can be re-rendered in whatever language is current. */
type Say = (m: Messages) => string;

const AUTHOR_KEY = 'stammtisch:author';
const POLL_MS = 10000;
const MAX_POLLS = 60;
let firstCommentMarked = false;

export function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // old browsers without User Timing: the marks are for tests only
  }
}

function say(m: Messages, p: Problem, tag: string): string {
  switch (p.kind) {
    case 'rate':
      return m.errRate(inTime(p.seconds, tag));
    case 'fields':
      return m.errCheck;
    case 'busy':
      return m.errBusy;
    case 'closed':
      return m.closed;
    case 'origin':
      return m.errOrigin;
    case 'network':
      return m.errNetwork;
    case 'site':
      return m.siteUnknown;
    default:
      return m.errGeneric;
  }
}

const FIELD_ERRORS: Record<Field, keyof Messages> = {
  name: 'errName',
  email: 'errEmail',
  url: 'errUrl',
  body: 'errBody',
};

/** Live regions announce every change, so only touch them when the text really changes. */
function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** The theme the container asks for; light unless it says dark or auto. */
function themeOf(host: HTMLElement): string {
  const theme = host.getAttribute('data-theme');
  return theme === 'dark' || theme === 'auto' ? theme : 'light';
}

/** Renders the widget into a shadow root on `host` and keeps it up to date. */
export function mount(host: HTMLElement, env: Env): void {
  if (host.shadowRoot) return;
  const root = host.attachShadow({ mode: 'open' });
  const site = host.getAttribute('data-site') || host.getAttribute('data-stammtisch') || '';
  const sitePath = `/v1/sites/${encodeURIComponent(site)}`;

  let m = languages.en!;
  let tag = 'en';
  let key = '';
  let sort: 'oldest' | 'newest' = 'oldest';
  let comments: Comment[] = [];
  let thread: ThreadInfo | null = null;
  let next: string | null = null;
  let pages = 0;
  let loadSeq = 0;
  let state: 'loading' | 'ready' | 'error' = 'loading';
  let loadProblem: Problem = { kind: 'generic' };
  let closed = false;
  let own: Own[] = [];
  let replyTo: Item | null = null;
  // Commenter sign-in (identity.ts): the account's name replaces the name field.
  let me: Me | null = takeToken(site);
  let providers: Provider[] = [];
  const remembered = load<Partial<Draft>>(AUTHOR_KEY, {});
  const draft: Draft = {
    name: remembered.name ?? '',
    email: remembered.email ?? '',
    url: remembered.url ?? '',
    body: '',
    hp: '',
  };
  if (me) draft.name = me.name;
  let errors: Field[] = [];
  let formMsg: Say | null = null;
  let status: Say | null = null;
  let idem: { fp: string; key: string } | null = null;
  let busy = false;
  let renderedAt = Date.now();
  let polls = 0;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  // Elements rebuilt by render(); the form is one node that moves between slots.
  let section: HTMLElement;
  let heading: HTMLElement;
  let statusEl: HTMLElement;
  let mainSlot: HTMLElement;
  let bar: HTMLElement;
  let listEl: HTMLElement;
  let form: HTMLFormElement;
  let formHead: HTMLElement;
  let notifyBox: HTMLInputElement;
  let submitBtn: HTMLButtonElement;
  let cancelBtn: HTMLButtonElement;
  let msgEl: HTMLElement;
  const inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>;
  const errorEls = {} as Record<Field, HTMLElement>;

  const ownKey = () => `stammtisch:pending:${site}:${key}`;
  const saveOwn = () => save(ownKey(), own);
  const byId = (id: string) => root.getElementById(id) as HTMLElement | null;

  function readKey(): string {
    const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]');
    return threadKeyOf(host.getAttribute('data-thread'), canonical?.href, location.pathname);
  }

  function readLang(): string {
    const picked = pickLanguage([host.getAttribute('data-lang'), document.documentElement.lang, ...browserLanguages()], languages);
    m = languages[picked.key] ?? m;
    return picked.tag;
  }

  function field(name: Field, label: string, input: HTMLInputElement | HTMLTextAreaElement, extra?: Node): HTMLElement {
    const id = `st-${name}`;
    input.id = id;
    input.name = name;
    input.value = draft[name];
    input.setAttribute('aria-describedby', `${extra ? 'st-hint ' : ''}${id}-e`);
    input.addEventListener('input', () => {
      draft[name] = input.value;
      if (errors.includes(name)) {
        errors = errors.filter((f) => f !== name);
        showFormState();
      }
    });
    inputs[name] = input;
    errorEls[name] = h('p', { id: `${id}-e`, class: 'fe' });
    return h('div', { class: 'f' }, h('label', { for: id }, label), input, extra, errorEls[name]);
  }

  function buildForm(): HTMLFormElement {
    const hp = h('input', { id: 'st-hp', name: 'website_url2', type: 'text', tabindex: '-1', autocomplete: 'off' });
    hp.value = draft.hp;
    hp.addEventListener('input', () => {
      draft.hp = hp.value;
    });
    notifyBox = h('input', { id: 'st-notify', type: 'checkbox' });
    formHead = h('h3', { id: 'st-fh' });
    submitBtn = h('button', { type: 'submit', class: 'btn' });
    cancelBtn = h('button', { type: 'button', class: 'lnk', hidden: true, onclick: cancelReply }, m.cancel);
    msgEl = h('p', { class: 'fm', role: 'status', 'aria-live': 'polite' });
    return h(
      'form',
      { novalidate: true, 'aria-labelledby': 'st-fh', onsubmit: submit },
      formHead,
      authBox(m, me, providers, `${env.api}${sitePath}/auth`, out),
      field('name', m.name, h('input', { type: 'text', autocomplete: 'name', required: true, maxlength: 80, readonly: !!me })),
      field('email', m.email, h('input', { type: 'email', autocomplete: 'email' })),
      // Reply mails need an email; the server sends a confirmation first (double opt-in).
      h('div', { class: 'f ck' }, notifyBox, h('label', { for: 'st-notify' }, m.notify)),
      field('url', m.url, h('input', { type: 'url', autocomplete: 'url' })),
      field('body', m.body, h('textarea', { rows: 5, required: true, maxlength: 10000 }), h('p', { id: 'st-hint', class: 'mu hint' }, m.hint)),
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: 'st-hp' }, m.hp), hp),
      h('div', { class: 'act' }, submitBtn, cancelBtn),
      msgEl,
    );
  }

  /** Field errors, the form message and the submit button, without rebuilding anything. */
  function showFormState(): void {
    for (const f of FIELDS) {
      const bad = errors.includes(f);
      errorEls[f].textContent = bad ? (m[FIELD_ERRORS[f]] as string) : '';
      if (bad) inputs[f].setAttribute('aria-invalid', 'true');
      else inputs[f].removeAttribute('aria-invalid');
    }
    setText(msgEl, formMsg ? formMsg(m) : '');
    submitBtn.disabled = busy;
    submitBtn.textContent = busy ? m.sending : m.send;
  }

  /** Everything, e.g. after a language change; keeps what was typed and where focus was. */
  function render(): void {
    const focused = root.activeElement?.id;
    tag = readLang();
    form = buildForm();
    heading = h('h2', { id: 'st-h' });
    statusEl = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
    mainSlot = h('div');
    listEl = h('div');
    bar = h(
      'div',
      { class: 'bar' },
      h('label', { for: 'st-sort' }, m.sort),
      h(
        'select',
        {
          id: 'st-sort',
          onchange: (e: Event) => {
            sort = (e.target as HTMLSelectElement).value === 'newest' ? 'newest' : 'oldest';
            loadThread();
          },
        },
        h('option', { value: 'oldest', selected: sort === 'oldest' }, m.oldest),
        h('option', { value: 'newest', selected: sort === 'newest' }, m.newest),
      ),
    );
    section = h('section', { class: 'st', lang: tag, 'data-t': themeOf(host), 'aria-labelledby': 'st-h' }, heading, statusEl, mainSlot, bar, listEl);
    root.replaceChildren(h('style', null, css), section);
    showFormState();
    renderList();
    if (focused) byId(focused)?.focus();
    env.onLang?.(tag);
  }

  function renderNode(node: TreeNode<Item>): HTMLElement {
    const c = node.item;
    const body = h('div', { class: 'b' });
    // The server sanitized `html`; this is the widget's only innerHTML.
    if (c.html != null) body.innerHTML = c.html;
    else body.append(h('p', { class: 'pre' }, c.text ?? ''));
    const url = isHttpUrl(c.author.url) ? c.author.url : null;
    return h(
      'li',
      { id: `c-${c.id}`, class: c.pending ? 'c p' : 'c' },
      h(
        'article',
        null,
        h(
          'div',
          { class: 'm' },
          url ? h('a', { class: 'n', href: url, rel: 'nofollow ugc noopener', target: '_blank' }, c.author.name) : h('span', { class: 'n' }, c.author.name),
          c.author.verified && h('span', { class: 'v' }, m.verified(c.author.provider)),
          node.replyTo && h('span', { class: 'mu' }, m.inReplyTo(node.replyTo.author.name)),
          h('time', { datetime: c.createdAt, title: absTime(c.createdAt, tag) }, relTime(c.createdAt, Date.now(), tag)),
          c.pending && h('span', { class: 'badge' }, m.pending),
        ),
        body,
        !c.pending && !closed && h('button', { type: 'button', class: 'lnk rb', onclick: () => openReply(c) }, m.reply),
      ),
      h('div', { id: `r-${c.id}`, class: 'rp' }),
      node.children.length > 0 && h('ol', null, node.children.map(renderNode)),
    );
  }

  function ownItems(top: boolean): Item[] {
    return own
      .filter((c) => !c.parentId === top)
      .map((c) => ({
        id: c.id,
        parentId: c.parentId,
        author: { name: c.name, url: c.url },
        createdAt: c.createdAt,
        text: c.body,
        pending: c.status === 'pending',
      }));
  }

  /** Heading, status, list and form placement; the form itself is kept. */
  function renderList(): void {
    const focused = root.activeElement as HTMLElement | null;
    const count = thread?.count ?? 0;
    heading.textContent = !thread ? m.region : count ? plural(m.count, count, tag) : m.none;
    setText(statusEl, status ? status(m) : '');
    bar.hidden = comments.length < 2;
    // The writer's own top-level comments come first, right under the form; own replies under their parent.
    const tree = buildTree([...ownItems(true), ...comments, ...ownItems(false)]);
    listEl.textContent = '';
    append(listEl, [
      h('ol', null, tree.map(renderNode)),
      state === 'loading' && h('p', { class: 'mu' }, m.loading),
      state === 'error' && [
        h('p', { class: 'er' }, loadProblem.kind === 'site' ? m.siteUnknown : m.loadFailed),
        h('button', { type: 'button', class: 'sec', onclick: () => loadThread(pages > 0) }, m.retry),
      ],
      state === 'ready' && next && h('button', { type: 'button', class: 'sec', onclick: () => loadThread(true) }, m.more),
    ]);
    placeForm();
    if (focused?.isConnected && root.activeElement !== focused) focused.focus({ preventScroll: true });
    host.setAttribute('data-state', state);
    if (!firstCommentMarked && comments.length) {
      firstCommentMarked = true;
      mark('stammtisch:first-comment');
    }
  }

  function placeForm(): void {
    if (closed) {
      form.remove();
      replyTo = null;
      mainSlot.replaceChildren(h('p', { class: 'closed', id: 'st-closed', tabindex: '-1' }, m.closed));
      return;
    }
    const slot = replyTo && byId(`r-${replyTo.id}`);
    if (!slot) replyTo = null;
    if (form.parentNode !== (slot || mainSlot)) (slot || mainSlot).append(form);
    formHead.textContent = replyTo ? m.replyTo(replyTo.author.name) : m.write;
    cancelBtn.hidden = !replyTo;
  }

  function openReply(c: Item): void {
    replyTo = c;
    placeForm();
    (draft.name ? inputs.body : inputs.name).focus();
  }

  function cancelReply(): void {
    const id = replyTo?.id;
    replyTo = null;
    placeForm();
    byId(`c-${id}`)?.querySelector<HTMLElement>('.rb')?.focus();
  }

  async function loadThread(more = false, fresh = false): Promise<void> {
    const seq = ++loadSeq;
    const cursor = more && next ? `&cursor=${encodeURIComponent(next)}` : '';
    if (!more) {
      comments = [];
      next = null;
      pages = 0;
    }
    state = 'loading';
    renderList();
    try {
      const page = await request<ThreadPage>(
        `${env.api}${sitePath}/threads/${encodeURIComponent(key)}/comments?sort=${sort}&limit=50${cursor}`,
        fresh ? { cache: 'no-cache' } : undefined,
      );
      if (seq !== loadSeq) return;
      const seen = new Set(comments.map((c) => c.id));
      const added = page.comments.filter((c) => !seen.has(c.id));
      comments = comments.concat(added);
      thread = page.thread;
      env.onCount?.(site, key, thread.count);
      closed = closed || !!thread.closed;
      next = page.nextCursor;
      pages++;
      const listed = new Set(comments.map((c) => c.id));
      own = pruneOwn(own, (id) => listed.has(id), Date.now());
      saveOwn();
      state = 'ready';
      renderList();
      if (more && added[0]) {
        const li = byId(`c-${added[0].id}`);
        li?.setAttribute('tabindex', '-1');
        li?.focus();
      }
    } catch (err) {
      if (seq !== loadSeq) return;
      state = 'error';
      loadProblem = problemOf(err);
      renderList();
    }
  }

  /** Asks about the writer's pending comments, now and every 10 s for at most 10 minutes. */
  function poll(): void {
    clearTimeout(pollTimer);
    const pending = own.filter((c) => c.status === 'pending');
    if (!pending.length || polls++ >= MAX_POLLS) return;
    let changed = false;
    const pollKey = key;
    Promise.all(
      pending.map((c) =>
        request<{ status: string }>(`${env.api}${sitePath}/comments/${encodeURIComponent(c.id)}`, {
          cache: 'no-store',
        }).then(
          (res) => {
            if (res.status === 'approved') {
              c.status = 'approved';
              c.approvedAt = Date.now();
              status = (x) => x.approved;
              changed = true;
            } else if (res.status === 'rejected') {
              own = own.filter((o) => o !== c);
              status = (x) => x.rejected;
              changed = true;
            }
          },
          () => {
            // unknown yet or the api is away: ask again next round
          },
        ),
      ),
    ).then(() => {
      if (pollKey !== key) return;
      if (changed) {
        saveOwn();
        // Reloading a single page is cheap and shows the server's rendering; beyond that, keep the reader's place.
        if (pages <= 1) loadThread(false, true);
        else renderList();
      }
      pollTimer = setTimeout(poll, POLL_MS);
    });
  }

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    if (busy) return;
    draft.url = inputs.url.value = normalizeUrl(draft.url);
    errors = validate(draft);
    formMsg = errors.length ? (x) => x.errCheck : null;
    if (errors[0]) {
      showFormState();
      inputs[errors[0]].focus();
      return;
    }
    const author = { name: draft.name.trim(), email: draft.email.trim() || undefined, url: draft.url || undefined };
    const parentId = replyTo?.id;
    const body = draft.body;
    // Same content again (a retry after an error) keeps its Idempotency-Key, so it can never post twice.
    const fp = JSON.stringify([key, parentId, author, body, draft.hp]);
    if (idem?.fp !== fp) idem = { fp, key: randomId() };
    busy = true;
    showFormState();
    try {
      const res = await request<{ id: string }>(`${env.ingest}${sitePath}/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idem.key, ...(me && { Authorization: `Bearer ${me.token}` }) },
        body: JSON.stringify({
          thread: { key, url: location.href.split('#')[0], title: document.title },
          parentId,
          author,
          body,
          hp: draft.hp,
          renderedAt,
          notify: notifyBox.checked && !!author.email,
        }),
      });
      save(AUTHOR_KEY, { name: author.name, email: author.email, url: author.url });
      own.push({
        id: res.id,
        parentId: parentId ?? null,
        name: author.name,
        url: author.url,
        body,
        createdAt: new Date().toISOString(),
        status: 'pending',
      });
      saveOwn();
      idem = null;
      draft.body = inputs.body.value = '';
      replyTo = null;
      renderedAt = Date.now();
      busy = false;
      status = (x) => x.posted;
      showFormState();
      renderList();
      const li = byId(`c-${res.id}`);
      li?.setAttribute('tabindex', '-1');
      (li ?? statusEl).focus();
      polls = 0;
      clearTimeout(pollTimer);
      pollTimer = setTimeout(poll, POLL_MS);
    } catch (err) {
      busy = false;
      // An expired or refused sign-in: back to a plain name field.
      if (me && (err as { status?: number }).status === 401) out();
      const problem = problemOf(err);
      if (problem.kind === 'closed') {
        closed = true;
        status = (x) => x.closed;
        renderList();
        byId('st-closed')?.focus();
        return;
      }
      errors = problem.kind === 'fields' ? problem.fields : [];
      formMsg = (x) => say(x, problem, tag);
      showFormState();
      (errors[0] ? inputs[errors[0]] : submitBtn).focus();
    }
  }

  function out(): void {
    signOut(site);
    me = null;
    render();
  }

  function start(): void {
    key = readKey();
    own = load<Own[]>(ownKey(), []);
    thread = null;
    closed = false;
    replyTo = null;
    status = null;
    polls = 0;
    loadThread();
    poll();
  }

  const observer = new MutationObserver(() => {
    section.setAttribute('data-t', themeOf(host));
    if (readKey() !== key) {
      idem = null;
      start();
    }
    const before = m;
    if (readLang() !== tag || m !== before) render();
  });
  observer.observe(host, { attributes: true, attributeFilter: ['data-lang', 'data-theme', 'data-thread'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  render();
  start();
  loadProviders(env.api, sitePath).then(
    (list) => {
      providers = list;
      if (list.length) render();
    },
    () => {},
  );
}
