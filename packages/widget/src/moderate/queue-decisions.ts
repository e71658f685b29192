import { plural } from '../browser/format.js';
import type { Api } from './api.js';
import type { ModerateMessages } from './i18n/index.js';
import type { DecisionName } from './i18n/types.js';
import type { QueueState, UndoEntry } from './types.js';

/** What the queue view and its decisions are given by the page. */
export interface QueueDeps {
  api: Api;
  t: ModerateMessages;
  lang: string;
  say: (text: string, isError?: boolean) => void;
}

/** The parts of the queue view a decision changes. */
export interface DecidedList {
  state: QueueState;
  /** Takes decided comments out of the list at once. */
  forget: (ids: string[]) => void;
  load: () => Promise<void>;
  render: () => void;
}

/**
 * Decisions on the queue, one or bulk, and pins: optimistic (the item leaves at
 * once; a failure reloads and says why), each undoable until the next reload.
 */
export function createDecisions(deps: QueueDeps, list: DecidedList) {
  const { api, t, lang, say } = deps;
  const { state, forget, load, render } = list;
  let inflight = 0;

  function setInflight(by: number): void {
    inflight += by;
    document.body.dataset.inflight = String(inflight);
  }

  function track(entry: UndoEntry): void {
    setInflight(1);
    state.undo.push(entry);
    say(entry.label + t.undoHint);
    entry.events
      .catch((e: Error) => {
        for (const id of entry.ids) state.decided.delete(id);
        state.undo = state.undo.filter((x) => x !== entry);
        say(t.notSaved(e.message), true);
        return load();
      })
      .finally(() => setInflight(-1));
  }

  function decide(action: DecisionName, index = state.cur): void {
    const item = state.items[index];
    if (!item) return;
    state.cur = index;
    forget([item.id]);
    const events = api<{ eventId: string }>('POST', `/v1/moderation/comments/${item.id}/decision`, { action }).then(
      (r) => [r.eventId],
    );
    track({ label: plural(t.done[action], 1, lang), ids: [item.id], events });
  }

  function bulk(action: DecisionName): void {
    const ids = Array.from(state.selected);
    if (!ids.length) {
      say(t.selectFirst, true);
      return;
    }
    forget(ids);
    const events = api<{ eventIds: string[] }>('POST', '/v1/moderation/decisions', { ids, action }).then(
      (r) => r.eventIds,
    );
    track({ label: plural(t.done[action], ids.length, lang), ids, events });
  }

  async function undo(): Promise<void> {
    const entry = state.undo.pop();
    if (!entry) {
      say(t.nothingToUndo, true);
      return;
    }
    setInflight(1);
    try {
      const eventIds = await entry.events;
      const r = await api<{ undone: number }>('POST', '/v1/moderation/undo', { eventIds });
      for (const id of entry.ids) state.decided.delete(id);
      say(t.undone(r.undone));
      await load();
    } catch (e) {
      say(t.couldNotUndo((e as Error).message), true);
    } finally {
      setInflight(-1);
    }
  }

  async function togglePin(index = state.cur): Promise<void> {
    const item = state.items[index];
    if (item?.status !== 'approved') return;
    state.cur = index;
    const pin = !item.pinned;
    setInflight(1);
    try {
      await api(pin ? 'POST' : 'DELETE', `/v1/moderation/comments/${item.id}/pin`);
      item.pinned = pin;
      say(pin ? t.pinnedNow : t.unpinnedNow);
      render();
    } catch (e) {
      say(t.notSaved((e as Error).message), true);
    } finally {
      setInflight(-1);
    }
  }

  return { decide, bulk, undo, togglePin };
}
