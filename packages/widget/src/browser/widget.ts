import { problemOf, randomId, request } from './api.js';
import { browserLanguages, pickLanguage, threadKeyOf } from './config.js';
import { append, h } from './dom.js';
import { type Draft, FIELDS, type Field, isHttpUrl, normalizeUrl, type Problem, validate } from './errors.js';
import { absTime, inTime, plural, relTime } from './format.js';
import { languages, type Messages } from './i18n/index.js';
import { authBox, loadProviders, type Me, type Provider, signOut, takeToken } from './identity.js';
import { follow } from './live.js';
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
  votes?: { up: number; down: number };
  editedAt?: string;
  pinned?: boolean;
  deleted?: boolean;
}

/** A message that can be re-rendered in whatever language is current. */
type Say = (m: Messages) => string;

const AUTHOR_KEY = 'stammtisch:author';
// The voter token ingest handed this browser, and the edit tokens of the writer's comments.
const VOTER_KEY = 'stammtisch:voter';
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
  let sort = 'oldest';
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
  let unfollow = () => {};
  let fresh = 0;
  // The writer's edit tokens by comment id, and this reader's votes.
  const tokensKey = `stammtisch:edit:${site}`;
  const votesKey = `stammtisch:votes:${site}`;
  const tokens = load<Record<string, string>>(tokensKey, {});
  const myVotes = load<Record<string, number>>(votesKey, {});
  let editing: string | null = null;
  let sure: string | null = null;

  // Elements rebuilt by render(); the form is one node that moves between slots.
  let section: HTMLElement;
  let heading: HTMLElement;
  let statusEl: HTMLElement;
  let mainSlot: HTMLElement;
  let bar: HTMLElement;
  let listEl: HTMLElement;
  let olEl: HTMLElement;
  let tailEl: HTMLElement;
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
  const threadPath = () => `${env.api}${sitePath}/threads/${encodeURIComponent(key)}`;

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
            sort = (e.target as HTMLSelectElement).value;
            loadThread();
          },
        },
        ['oldest', 'newest', 'best'].map((v) => h('option', { value: v, selected: sort === v }, m[v as 'best'])),
      ),
    );
    section = h('section', { class: 'st', lang: tag, 'data-t': themeOf(host), 'aria-labelledby': 'st-h' }, heading, statusEl, mainSlot, bar, listEl);
    root.replaceChildren(h('style', null, css), section);
    showFormState();
    renderList();
    if (focused) byId(focused)?.focus();
    env.onLang?.(tag);
  }

  /** Root-relative avatar URLs are on the api. */
  const abs = (url: string) => (url[0] === '/' ? env.api + url : url);

  function mayChange(c: Item): boolean {
    const minutes = thread?.editWindowMinutes ?? 15;
    return !!tokens[c.id] && !c.deleted && Date.now() - Date.parse(c.createdAt) < minutes * 60000;
  }

  function renderArticle(node: TreeNode<Item>): HTMLElement {
    const c = node.item;
    const body = h('div', { class: 'b' });
    const mode = thread?.votes ?? 'up';
    // The server sanitized `html`; this is the widget's only innerHTML.
    if (c.deleted) body.append(h('p', { class: 'mu' }, m.deleted));
    else if (editing === c.id) {
      const area = h('textarea', { 'aria-label': m.body, rows: 4, maxlength: 10000 });
      area.value = c.text ?? (own.find((o) => o.id === c.id)?.body || body.textContent || '');
      body.append(
        area,
        h(
          'div',
          { class: 'act' },
          h('button', { type: 'button', class: 'btn', onclick: () => saveEdit(node, area.value) }, m.save),
          h('button', { type: 'button', class: 'lnk', onclick: () => redraw(node, (editing = null)) }, m.cancel),
        ),
      );
      setTimeout(() => area.focus());
    } else if (c.html != null) body.innerHTML = c.html;
    else body.append(h('p', { class: 'pre' }, c.text ?? ''));
    const url = isHttpUrl(c.author.url) ? c.author.url : null;
    // The name is "Gefällt mir 3" and contains the visible "3" (axe: label-content-name-mismatch); the arrow is decoration.
    const vote = (value: number, label: string, n: number) =>
      h(
        'button',
        { type: 'button', class: 'vt', 'aria-pressed': String(myVotes[c.id] === value), onclick: () => castVote(node, value) },
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
        c.author.avatar && h('img', { class: 'av', src: abs(c.author.avatar), alt: '', width: 24, height: 24, loading: 'lazy', decoding: 'async' }),
        url ? h('a', { class: 'n', href: url, rel: 'nofollow ugc noopener', target: '_blank' }, c.author.name) : h('span', { class: 'n' }, c.author.name),
        c.author.verified && h('span', { class: 'v' }, m.verified(c.author.provider)),
        node.replyTo && h('span', { class: 'mu' }, m.inReplyTo(node.replyTo.author.name)),
        h('time', { datetime: c.createdAt, title: absTime(c.createdAt, tag) }, relTime(c.createdAt, Date.now(), tag)),
        c.editedAt && h('span', { class: 'mu ed', title: absTime(c.editedAt, tag) }, m.edited),
        c.pinned && h('span', { class: 'badge pin' }, m.pinned),
        c.pending && h('span', { class: 'badge' }, m.pending),
      ),
      body,
      h(
        'div',
        { class: 'act' },
        live && c.votes && mode !== 'off' && [vote(1, m.up, c.votes.up), mode === 'updown' && vote(-1, m.down, c.votes.down)],
        live && !closed && h('button', { type: 'button', class: 'lnk rb', onclick: () => openReply(c) }, m.reply),
        mayChange(c) &&
          editing !== c.id && [
            h('button', { type: 'button', class: 'lnk ec', onclick: () => redraw(node, (editing = c.id)) }, m.edit),
            h('button', { type: 'button', class: 'lnk dc', onclick: () => removeOwn(node) }, sure === c.id ? m.delSure : m.del),
          ],
      ),
    );
  }

  function renderNode(node: TreeNode<Item>): HTMLElement {
    const c = node.item;
    return h(
      'li',
      { id: `c-${c.id}`, class: c.pending ? 'c p' : 'c' },
      renderArticle(node),
      h('div', { id: `r-${c.id}`, class: 'rp' }),
      node.children.length > 0 && h('ol', null, node.children.map(renderNode)),
    );
  }

  /** Re-renders one comment in place (a vote, an edit, the delete confirmation). */
  function redraw(node: TreeNode<Item>, _?: unknown): void {
    byId(`c-${node.item.id}`)?.querySelector('article')?.replaceWith(renderArticle(node));
  }

  async function castVote(node: TreeNode<Item>, value: number): Promise<void> {
    const c = node.item;
    const next = myVotes[c.id] === value ? 0 : value;
    const voter = load<string>(VOTER_KEY, '');
    try {
      const res = await request<{ up: number; down: number; voterToken?: string }>(`${env.ingest}${sitePath}/comments/${c.id}/votes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(voter && { 'X-Voter-Token': voter }), ...(me && { Authorization: `Bearer ${me.token}` }) },
        body: JSON.stringify({ value: next }),
      });
      if (res.voterToken) save(VOTER_KEY, res.voterToken);
      myVotes[c.id] = next;
      save(votesKey, myVotes);
      c.votes = { up: res.up, down: res.down };
      redraw(node);
      byId(`c-${c.id}`)?.querySelector<HTMLElement>(`.vt[aria-pressed=true],.vt`)?.focus();
    } catch (err) {
      status = (x) => say(x, problemOf(err), tag);
      renderTail();
    }
  }

  /** The writer's request to change their comment; 409 means the window has passed. */
  async function change(id: string, method: string, body?: string): Promise<boolean> {
    try {
      await request(`${env.ingest}${sitePath}/comments/${id}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-Edit-Token': tokens[id] ?? '' },
        body,
      }).catch((err) => {
        // DELETE answers 204 without a body: request() fails to parse it, which is fine.
        if (err instanceof SyntaxError) return;
        throw err;
      });
      return true;
    } catch (err) {
      if ((err as { status?: number }).status === 409) {
        delete tokens[id];
        save(tokensKey, tokens);
        status = (x) => x.editClosed;
      } else status = (x) => say(x, problemOf(err), tag);
      setText(statusEl, status(m));
      return false;
    }
  }

  async function saveEdit(node: TreeNode<Item>, text: string): Promise<void> {
    if (!text.trim()) return;
    const c = node.item;
    editing = null;
    if (await change(c.id, 'PATCH', JSON.stringify({ body: text }))) {
      // Shown as the writer typed it until the checked, rendered text arrives over the live stream.
      c.html = undefined;
      c.text = text;
      c.editedAt = new Date().toISOString();
      status = (x) => x.editSent;
      setText(statusEl, status(m));
    }
    redraw(node);
  }

  async function removeOwn(node: TreeNode<Item>): Promise<void> {
    const c = node.item;
    if (sure !== c.id) return redraw(node, (sure = c.id));
    sure = null;
    if (await change(c.id, 'DELETE')) {
      comments = comments.filter((x) => x.id !== c.id || node.children.length);
      own = own.filter((o) => o.id !== c.id);
      saveOwn();
      c.deleted = true;
      if (thread) thread.count = Math.max(0, thread.count - 1);
      renderList();
    } else redraw(node);
  }

  /** A comment from the live stream: new ones join the list, known ones are replaced (edits, deletions). */
  function onLive(type: string, data: unknown): void {
    if (type === 'count') {
      if (thread) thread.count = (data as { count: number }).count;
      heading.textContent = thread?.count ? plural(m.count, thread.count, tag) : m.none;
      env.onCount?.(site, key, thread?.count ?? 0);
      return;
    }
    const c = data as Comment;
    const i = comments.findIndex((x) => x.id === c.id);
    const mine = own.some((o) => o.id === c.id);
    own = own.filter((o) => o.id !== c.id);
    if (i >= 0) {
      if (c.deleted && !comments.some((x) => x.parentId === c.id)) comments.splice(i, 1);
      else comments[i] = c;
    } else if (!c.deleted) {
      if (sort === 'newest' && !c.parentId) comments.unshift(c);
      else comments.push(c);
      if (!mine) {
        fresh++;
        status = (x) => plural(x.fresh, fresh, tag);
      }
    }
    if (mine) saveOwn();
    renderList();
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
    olEl = h('ol', null, tree.map(renderNode));
    tailEl = h('div');
    listEl.replaceChildren(olEl, tailEl);
    renderTail();
    placeForm();
    if (focused?.isConnected && root.activeElement !== focused) focused.focus({ preventScroll: true });
    if (!firstCommentMarked && comments.length) {
      firstCommentMarked = true;
      mark('stammtisch:first-comment');
    }
  }

  /** Loading, error and "load more" under the list, without touching the list. */
  function renderTail(): void {
    setText(statusEl, status ? status(m) : '');
    tailEl.textContent = '';
    append(tailEl, [
      state === 'loading' && h('p', { class: 'mu' }, m.loading),
      state === 'error' && [
        h('p', { class: 'er' }, loadProblem.kind === 'site' ? m.siteUnknown : m.loadFailed),
        h('button', { type: 'button', class: 'sec', onclick: () => loadThread(pages > 0) }, m.retry),
      ],
      state === 'ready' && next && h('button', { type: 'button', class: 'sec', onclick: () => loadThread(true) }, m.more),
    ]);
    host.setAttribute('data-state', state);
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
    if (more) renderTail();
    else renderList();
    try {
      const page = await request<ThreadPage>(`${threadPath()}/comments?sort=${sort}&limit=50${cursor}`, fresh ? { cache: 'no-cache' } : undefined);
      if (seq !== loadSeq) return;
      const seen = new Set(comments.map((c) => c.id));
      const added = page.comments.filter((c) => !seen.has(c.id));
      comments = comments.concat(added);
      thread = page.thread;
      env.onCount?.(site, key, thread.count);
      closed = closed || !!thread.closed;
      next = page.nextCursor;
      pages++;
      state = 'ready';
      if (more) {
        // Only the new page is built and appended: the cost of a click does not grow with the thread.
        append(olEl, buildTree<Item>(added).map(renderNode));
        renderTail();
      } else {
        const listed = new Set(comments.map((c) => c.id));
        own = pruneOwn(own, (id) => listed.has(id), Date.now());
        saveOwn();
        renderList();
      }
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
      const res = await request<{ id: string; editToken?: string }>(`${env.ingest}${sitePath}/comments`, {
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
      if (res.editToken) {
        tokens[res.id] = res.editToken;
        save(tokensKey, tokens);
      }
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
    fresh = 0;
    loadThread();
    poll();
    unfollow();
    unfollow = follow(`${threadPath()}/events`, onLive);
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
