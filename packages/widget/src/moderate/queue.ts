import { plural } from '../browser/format.js';
import { byId } from './dom.js';
import { renderItem } from './item.js';
import { type QueueDeps, createDecisions } from './queue-decisions.js';
import type { DecidedEvent, QueueItem, QueuePage, QueueState } from './types.js';

/**
 * The queue view: the list, its filters, selection, and the live stream's
 * changes; decisions, undo and pins are in queue-decisions.ts.
 */
export function createQueue(deps: QueueDeps) {
  const { api, t, lang, say } = deps;
  const listEl = byId<HTMLOListElement>('items');
  const countEl = byId('count');
  const searchEl = byId<HTMLInputElement>('q');
  const queueEl = byId<HTMLSelectElement>('queue');
  const sortEl = byId<HTMLSelectElement>('sort');
  const siteEl = byId<HTMLSelectElement>('site');
  const state: QueueState = {
    items: [],
    cur: 0,
    selected: new Set<string>(),
    decided: new Set<string>(),
    undo: [],
    nextCursor: null,
    loading: false,
    generation: 0,
  };
  /** After a click, focus the same button on the item that takes the clicked one's place. */
  let refocus: string | null = null;

  function queuePath(cursor?: string): string {
    const p = new URLSearchParams({ status: queueEl.value, sort: sortEl.value, limit: '100' });
    if (searchEl.value.trim()) p.set('q', searchEl.value.trim());
    if (siteEl.value) p.set('site', siteEl.value);
    if (cursor) p.set('cursor', cursor);
    return `/v1/moderation/queue?${p.toString()}`;
  }

  async function load(): Promise<void> {
    const generation = ++state.generation;
    state.loading = true;
    try {
      const data = await api<QueuePage>('GET', queuePath());
      if (generation !== state.generation) return;
      const currentId = state.items[state.cur]?.id;
      state.items = data.items.filter((i) => !state.decided.has(i.id));
      state.nextCursor = data.nextCursor;
      const keep = state.items.findIndex((i) => i.id === currentId);
      state.cur = keep >= 0 ? keep : Math.min(state.cur, Math.max(0, state.items.length - 1));
      render();
    } catch (e) {
      say((e as Error).message, true);
    } finally {
      state.loading = false;
    }
  }

  async function loadMore(): Promise<void> {
    if (!state.nextCursor || state.loading) return;
    const generation = state.generation;
    state.loading = true;
    try {
      const data = await api<QueuePage>('GET', queuePath(state.nextCursor));
      if (generation !== state.generation) return;
      const known = new Set(state.items.map((i) => i.id));
      for (const i of data.items) if (!known.has(i.id) && !state.decided.has(i.id)) state.items.push(i);
      state.nextCursor = data.nextCursor;
      render();
    } catch (e) {
      say((e as Error).message, true);
    } finally {
      state.loading = false;
    }
  }

  function render(): void {
    const focused = document.activeElement;
    const hadFocus =
      focused instanceof HTMLElement && listEl.contains(focused) ? (focused.dataset.action ?? null) : null;
    listEl.textContent = '';
    state.items.forEach((item, index) => {
      listEl.appendChild(
        renderItem(item, { current: index === state.cur, selected: state.selected.has(item.id), lang, t }),
      );
    });
    settle(hadFocus);
  }

  function updateCount(): void {
    const queueName = queueEl.options[queueEl.selectedIndex]?.text ?? '';
    countEl.textContent =
      `${state.items.length}${state.nextCursor ? '+' : ''} ${queueName}` +
      (state.selected.size ? ` · ${plural(t.selected, state.selected.size, lang)}` : '');
    document.body.dataset.count = String(state.items.length);
  }

  /** After the list changed: count, the current item in view, focus where the click was, more items when near the end. */
  function settle(hadFocus: string | null = null): void {
    updateCount();
    const current = listEl.children[state.cur] as HTMLElement | undefined;
    if (current) current.scrollIntoView({ block: 'nearest' });
    const action = refocus ?? hadFocus;
    refocus = null;
    if (action && current)
      (
        current.querySelector<HTMLElement>(`[data-action="${action}"]`) ??
        current.querySelector<HTMLElement>('[data-action]')
      )?.focus();
    if (state.items.length - state.cur < 10) void loadMore();
  }

  /** Moves the current marker without rebuilding the list: a key press touches two items, not a hundred. */
  function markCurrent(): void {
    for (const li of listEl.querySelectorAll('li.item.current')) {
      li.classList.remove('current');
      li.removeAttribute('aria-current');
    }
    const current = listEl.children[state.cur];
    current?.classList.add('current');
    current?.setAttribute('aria-current', 'true');
  }

  function move(by: number): void {
    if (!state.items.length) return;
    state.cur = Math.max(0, Math.min(state.items.length - 1, state.cur + by));
    markCurrent();
    settle();
  }

  function forget(ids: string[]): void {
    const gone = new Set(ids);
    for (const id of ids) {
      state.decided.add(id);
      state.selected.delete(id);
    }
    const before = state.items.slice(0, state.cur).filter((i) => gone.has(i.id)).length;
    state.items = state.items.filter((i) => !gone.has(i.id));
    state.cur = Math.min(state.cur - before, Math.max(0, state.items.length - 1));
    for (const li of Array.from(listEl.children) as HTMLElement[]) if (gone.has(li.dataset.id ?? '')) li.remove();
    markCurrent();
    settle();
  }

  const { decide, bulk, undo, togglePin } = createDecisions(deps, { state, forget, load, render });

  function toggleSelect(index = state.cur): void {
    const item = state.items[index];
    if (!item) return;
    state.cur = index;
    if (state.selected.has(item.id)) state.selected.delete(item.id);
    else state.selected.add(item.id);
    const li = listEl.children[index];
    li?.classList.toggle('selected', state.selected.has(item.id));
    const box = li?.querySelector<HTMLInputElement>('input[data-action="select"]');
    if (box) box.checked = state.selected.has(item.id);
    markCurrent();
    settle();
  }

  /** A comment the spam stage just held, from the live stream. */
  function held(item: QueueItem): boolean {
    if (queueEl.value !== 'pending' || searchEl.value.trim()) return false;
    if (siteEl.value && item.site !== siteEl.value) return false;
    if (state.decided.has(item.id) || state.items.some((i) => i.id === item.id)) return false;
    const currentId = state.items[state.cur]?.id;
    item.fresh = true;
    if (sortEl.value === 'newest') state.items.unshift(item);
    else state.items.push(item);
    const keep = state.items.findIndex((i) => i.id === currentId);
    if (keep >= 0) state.cur = keep;
    render();
    say(plural(t.newItems, 1, lang));
    return true;
  }

  /** Someone (maybe another moderator) decided a comment: drop it where it no longer belongs. */
  function decided(event: DecidedEvent): void {
    if (state.decided.has(event.id)) return;
    const shown = state.items.find((i) => i.id === event.id);
    const belongs = event.status === queueEl.value || (queueEl.value === 'reported' && event.status === 'approved');
    if (shown && !belongs) {
      const index = state.items.indexOf(shown);
      const before = index < state.cur ? 1 : 0;
      state.items.splice(index, 1);
      state.selected.delete(event.id);
      state.cur = Math.min(state.cur - before, Math.max(0, state.items.length - 1));
      render();
      say(t.decidedElsewhere(t.statuses[event.status] ?? event.status));
    } else if (!shown && belongs && !state.loading) void load();
  }

  // One listener for every item's buttons.
  listEl.addEventListener('click', (e) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-action]');
    const li = target?.closest<HTMLElement>('li.item');
    if (!target || !li) return;
    const index = state.items.findIndex((i) => i.id === li.dataset.id);
    if (index < 0) return;
    const action = target.dataset.action;
    refocus = action === 'select' ? 'select' : action === 'pin' || action === 'unpin' ? null : (action ?? null);
    if (action === 'approve' || action === 'reject' || action === 'spam') decide(action, index);
    else if (action === 'select') toggleSelect(index);
    else if (action === 'pin' || action === 'unpin') void togglePin(index);
  });

  for (const s of [queueEl, sortEl, siteEl]) {
    s.addEventListener('change', () => {
      state.selected.clear();
      state.cur = 0;
      void load();
      s.blur();
    });
  }

  // A new search: the selection belonged to the old results.
  function search(): void {
    state.selected.clear();
    void load();
  }

  return { load, move, decide, bulk, undo, togglePin, toggleSelect, held, decided, search };
}
export type QueueView = ReturnType<typeof createQueue>;
