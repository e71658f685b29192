/** Posting a comment, and following the writer's pending comments until a moderator decides. */
import { problemOf, randomId, request } from './api.js';
import { normalizeUrl, validate } from './errors.js';
import { placeForm, showFormState, signOutCommenter } from './form.js';
import { insertComment } from './live-update.js';
import { loadThread, ownItem, renderList } from './list.js';
import { byId, explain, saveOwn, showStatus, type Widget } from './state.js';
import { type Own, save } from './storage.js';

export const AUTHOR_KEY = 'stammtisch:author';
const POLL_MS = 10000;
const MAX_POLLS = 60;

export async function submit(w: Widget, e: Event): Promise<void> {
  e.preventDefault();
  if (w.busy) return;
  const { draft, inputs } = w;
  draft.url = inputs.url.value = normalizeUrl(draft.url);
  w.errors = validate(draft);
  w.formMsg = w.errors.length ? (x) => x.errCheck : null;
  if (w.errors[0]) {
    showFormState(w);
    inputs[w.errors[0]].focus();
    return;
  }
  const author = { name: draft.name.trim(), email: draft.email.trim() || undefined, url: draft.url || undefined };
  const parentId = w.replyTo?.id;
  const body = draft.body;
  // Same content again (a retry after an error) keeps its Idempotency-Key, so it can never post twice.
  const fp = JSON.stringify([w.key, parentId, author, body, draft.hp]);
  if (w.idem?.fp !== fp) w.idem = { fp, key: randomId() };
  w.busy = true;
  showFormState(w);
  try {
    const res = await request<{ id: string; editToken?: string }>(`${w.env.ingest}${w.sitePath}/comments`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': w.idem.key,
        ...(w.me && { Authorization: `Bearer ${w.me.token}` }),
      },
      body: JSON.stringify({
        thread: { key: w.key, url: location.href.split('#')[0], title: document.title },
        parentId,
        author,
        body,
        hp: draft.hp,
        renderedAt: w.renderedAt,
        notify: w.notifyBox.checked && !!author.email,
      }),
    });
    save(AUTHOR_KEY, author);
    if (res.editToken) {
      w.tokens[res.id] = res.editToken;
      save(w.tokensKey, w.tokens);
    }
    const own: Own = {
      id: res.id,
      parentId: parentId || null,
      name: author.name,
      url: author.url,
      body,
      createdAt: new Date().toISOString(),
      status: 'pending',
    };
    w.own.push(own);
    saveOwn(w);
    w.idem = null;
    draft.body = inputs.body.value = '';
    w.replyTo = null;
    w.renderedAt = Date.now();
    w.busy = false;
    w.formMsg = null;
    showFormState(w);
    showStatus(w, (x) => x.posted);
    // The form goes back under the heading; the new comment joins the list as the writer's pending copy.
    placeForm(w);
    insertComment(w, ownItem(own));
    const li = byId(w, `c-${res.id}`);
    if (li) li.tabIndex = -1;
    (li ?? w.statusEl).focus();
    w.polls = 0;
    clearTimeout(w.pollTimer);
    w.pollTimer = setTimeout(() => poll(w), POLL_MS);
  } catch (err) {
    w.busy = false;
    // An expired or refused sign-in: back to a plain name field.
    if (w.me && (err as { status?: number }).status === 401) signOutCommenter(w);
    const problem = problemOf(err);
    if (problem.kind === 'closed') {
      w.closed = true;
      w.status = (x) => x.closed;
      renderList(w);
      byId(w, 'st-closed')?.focus();
      return;
    }
    w.errors = problem.kind === 'fields' ? problem.fields : [];
    w.formMsg = (x) => explain(x, problem, w.tag);
    showFormState(w);
    (w.errors[0] ? w.inputs[w.errors[0]] : w.submitBtn).focus();
  }
}

/** Asks about the writer's pending comments, now and every 10 s for at most 10 minutes. */
export function poll(w: Widget): void {
  clearTimeout(w.pollTimer);
  const pending = w.own.filter((c) => c.status === 'pending');
  if (!pending.length || w.polls++ >= MAX_POLLS) return;
  let changed = false;
  const pollKey = w.key;
  Promise.all(
    pending.map((c) =>
      request<{ status: string }>(`${w.env.api}${w.sitePath}/comments/${encodeURIComponent(c.id)}`, {
        cache: 'no-store',
      }).then(
        (res) => {
          if (res.status === 'approved') {
            c.status = 'approved';
            c.approvedAt = Date.now();
            w.status = (x) => x.approved;
            changed = true;
          } else if (res.status === 'rejected') {
            w.own = w.own.filter((o) => o !== c);
            w.status = (x) => x.rejected;
            changed = true;
          }
        },
        () => {
          // unknown yet or the api is away: ask again next round
        },
      ),
    ),
  ).then(() => {
    if (pollKey !== w.key) return;
    if (changed) {
      saveOwn(w);
      // Reloading a single page is cheap and shows the server's rendering; beyond that, keep the reader's place.
      if (w.pages <= 1) loadThread(w, false, true);
      else renderList(w);
    }
    w.pollTimer = setTimeout(() => poll(w), POLL_MS);
  });
}
