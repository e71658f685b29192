import {
  type DB,
  type LiveCommentRow,
  type SiteCache,
  findLiveComments,
  listThreadChangesSince,
  threadCount,
} from '@stammtisch/db';
import type { Logger } from '@stammtisch/http';
import { type PublicComment, toPublicComment } from './public-comment.js';

/** One Server-Sent Event as the thread stream sends it. */
export interface ThreadEvent {
  event: 'comment' | 'count';
  id: string;
  data: string;
}

export interface ThreadListener {
  send: (events: ThreadEvent[]) => void;
  /** A comment line that keeps proxies from closing an idle stream. */
  ping: () => void;
  /** The process is shutting down: end the stream (the browser reconnects elsewhere). */
  close: () => void;
}

export interface ThreadHubDeps {
  db: DB;
  siteCache: SiteCache;
  logger: Logger;
  ipHashSecret: string;
  publicApiUrl?: string;
  /** How far back a reconnecting reader is brought up to date (default 10 minutes)… */
  replayWindowMs?: number;
  /** …and at most this many comments (default 200); beyond that the widget reloads the thread. */
  replayLimit?: number;
  /** Heartbeat interval (default 25 s). */
  pingMs?: number;
}

/**
 * The api process's side of the live thread streams. The process holds one
 * Redis subscription (main.ts) and hands each `comments.written` event here;
 * the hub reads the named comments once per event, only for threads someone
 * in this process is watching, and fans the events out in memory. Event ids
 * are the comment's `updated_at` in milliseconds, so any process can replay
 * what a reader missed from Postgres, whichever process served them before.
 */
export function createThreadHub(deps: ThreadHubDeps) {
  const threads = new Map<string, Set<ThreadListener>>();
  const replayWindowMs = deps.replayWindowMs ?? 10 * 60_000;
  const replayLimit = deps.replayLimit ?? 200;
  let streams = 0;
  const keyOf = (siteId: string, threadKey: string) => `${siteId}\u0000${threadKey}`;

  // One timer for every stream, not one per stream: ten thousand idle readers cost no timers.
  const heartbeat = setInterval(() => {
    for (const listeners of threads.values()) for (const listener of listeners) listener.ping();
  }, deps.pingMs ?? 25_000);
  heartbeat.unref();

  async function eventsFor(siteId: string, rows: LiveCommentRow[], count: number): Promise<ThreadEvent[]> {
    const site = await deps.siteCache.getSite(siteId);
    if (!site) return [];
    const options = { site, secret: deps.ipHashSecret, publicApiUrl: deps.publicApiUrl };
    let last = 0;
    const events: ThreadEvent[] = [];
    for (const row of rows) {
      if (row.status !== 'approved') continue;
      const at = row.updatedAt.getTime();
      last = Math.max(last, at);
      const comment: PublicComment = toPublicComment(row, options);
      events.push({ event: 'comment', id: String(at), data: JSON.stringify(comment) });
    }
    events.push({ event: 'count', id: String(last || Date.now()), data: JSON.stringify({ count }) });
    return events;
  }

  return {
    /** Streams open in this process (a gauge for /metrics and the bench). */
    get size(): number {
      return streams;
    },

    subscribe(siteId: string, threadKey: string, listener: ThreadListener): () => void {
      const key = keyOf(siteId, threadKey);
      let set = threads.get(key);
      if (!set) threads.set(key, (set = new Set()));
      set.add(listener);
      streams++;
      return () => {
        if (!set.delete(listener)) return;
        streams--;
        if (set.size === 0) threads.delete(key);
      };
    },

    /** Comments were written or changed somewhere: tell whoever watches their threads here. */
    async onCommentsWritten(comments: { siteId: string; threadKey: string; id: string }[]): Promise<void> {
      const watched = comments.filter((c) => threads.has(keyOf(c.siteId, c.threadKey)));
      if (watched.length === 0) return;
      const rows = await findLiveComments(deps.db, [...new Set(watched.map((c) => c.id))]);
      const byThread = new Map<string, { siteId: string; threadKey: string; rows: LiveCommentRow[] }>();
      for (const c of watched) {
        const key = keyOf(c.siteId, c.threadKey);
        if (!byThread.has(key)) byThread.set(key, { siteId: c.siteId, threadKey: c.threadKey, rows: [] });
      }
      for (const row of rows) byThread.get(keyOf(row.siteId, row.threadKey))?.rows.push(row);
      for (const [key, group] of byThread) {
        const count = await threadCount(deps.db, group.siteId, group.threadKey);
        const events = await eventsFor(
          group.siteId,
          group.rows.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime()),
          count,
        );
        for (const listener of threads.get(key) ?? []) listener.send(events);
      }
    },

    /** What a reader reconnecting with `Last-Event-ID` missed, within the bounded window. */
    async replay(siteId: string, threadKey: string, lastEventId: string): Promise<ThreadEvent[]> {
      const last = Number(lastEventId);
      if (!Number.isSafeInteger(last) || last <= 0) return [];
      // Changes in the same millisecond as the last event are sent again; the widget drops duplicates by id.
      const since = new Date(Math.max(last, Date.now() - replayWindowMs));
      const { comments, count } = await listThreadChangesSince(deps.db, {
        siteId,
        threadKey,
        since,
        limit: replayLimit,
      });
      return eventsFor(siteId, comments, count);
    },

    /** Ends every stream (shutdown), so the server can close. */
    close(): void {
      clearInterval(heartbeat);
      for (const listeners of threads.values()) for (const listener of listeners) listener.close();
      threads.clear();
      streams = 0;
    },
  };
}
export type ThreadHub = ReturnType<typeof createThreadHub>;
