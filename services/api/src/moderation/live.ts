import { type DB, findCommentViews } from '@stammtisch/db';
import type { Logger } from '@stammtisch/http';
import type { ChangeEvent } from '@stammtisch/queue';
import { type QueueItem, toQueueItems } from './queue-item.js';

export type ModerationEvent =
  | { event: 'held'; data: QueueItem }
  | { event: 'decided'; data: { id: string; status: string; by: string } };

interface Listener {
  /** null: every site (the admin key without `?site=`). */
  siteId: string | null;
  send: (event: ModerationEvent) => void;
}

/**
 * What feeds the moderators' streams in one api process. Every process gets
 * every change event over Redis pub/sub (`handle`), so a moderator connected
 * to any process sees comments held by any worker and decisions made through
 * any process. A batch of held comments costs one query per process, not one
 * per open stream; with no stream open it costs nothing.
 */
export function createModerationFeed(deps: { db: DB; logger?: Logger }) {
  const listeners = new Set<Listener>();
  // One event at a time, in arrival order: a held comment's query must not let a later decision overtake it.
  let chain: Promise<void> = Promise.resolve();

  function deliver(siteId: string, event: ModerationEvent): void {
    for (const listener of listeners) if (listener.siteId === null || listener.siteId === siteId) listener.send(event);
  }

  async function process(event: ChangeEvent): Promise<void> {
    if (event.type === 'comments.written') {
      const held = event.comments.filter((c) => c.status === 'pending').map((c) => c.id);
      if (held.length === 0) return;
      const rows = await findCommentViews(deps.db, held);
      // Still held: a moderator may have decided it between the write and this read.
      for (const item of await toQueueItems(deps.db, rows))
        if (item.status === 'pending') deliver(item.site, { event: 'held', data: item });
    } else if (event.type === 'comment.decided') {
      deliver(event.siteId, { event: 'decided', data: { id: event.id, status: event.status, by: event.by } });
    }
  }

  return {
    /** Every change event this process receives. */
    handle(event: ChangeEvent): void {
      if (listeners.size === 0 || (event.type !== 'comments.written' && event.type !== 'comment.decided')) return;
      chain = chain
        .then(() => process(event))
        .catch((error) => deps.logger?.warn({ err: error }, 'moderation stream: could not load held comments'));
    },
    /** Starts delivering a site's (or, for null, every site's) events; returns the function that stops it. */
    subscribe(siteId: string | null, send: Listener['send']): () => void {
      const listener = { siteId, send };
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Open streams in this process (a gauge on /metrics). */
    get size(): number {
      return listeners.size;
    },
  };
}
export type ModerationFeed = ReturnType<typeof createModerationFeed>;
