import type { Redis } from 'ioredis';
import { z } from 'zod';

const CommentStatusName = z.enum(['approved', 'pending', 'spam', 'rejected']);

/**
 * Change events on Redis pub/sub: every api and ingest process listens, so a
 * cache in any of them is dropped the moment the truth changes.
 */
export const ChangeEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thread.changed'), siteId: z.string(), threadKey: z.string() }),
  z.object({ type: z.literal('site.changed'), siteId: z.string() }),
  /** A moderator taught the site's spam classifier something; workers reload its model. */
  z.object({ type: z.literal('model.changed'), siteId: z.string() }),
  /**
   * Comments written or changed: one event per worker batch, moderator
   * decision, edit or deletion. Each entry counts as a `thread.changed` for
   * its site and thread, and tells live streams which comment appeared or
   * changed with which status.
   */
  z.object({
    type: z.literal('comments.written'),
    comments: z.array(
      z.object({ siteId: z.string(), threadKey: z.string(), id: z.string(), status: CommentStatusName }),
    ),
  }),
  /** A moderator decided a comment (`by`: the key id, or `admin`): other moderators' pages drop it from their lists. */
  z.object({
    type: z.literal('comment.decided'),
    siteId: z.string(),
    threadKey: z.string(),
    id: z.string(),
    status: CommentStatusName,
    by: z.string(),
  }),
]);
export type ChangeEvent = z.infer<typeof ChangeEvent>;

/** The site and thread of every thread an event changed (`thread.changed`, and each entry of `comments.written`). */
export function changedThreads(event: ChangeEvent): Array<{ siteId: string; threadKey: string }> {
  if (event.type === 'thread.changed') return [{ siteId: event.siteId, threadKey: event.threadKey }];
  if (event.type === 'comments.written')
    return event.comments.map((c) => ({ siteId: c.siteId, threadKey: c.threadKey }));
  return [];
}

export function changesChannel(prefix: string): string {
  return `${prefix}:changes`;
}

export async function publishChange(redis: Redis, prefix: string, event: ChangeEvent): Promise<void> {
  await redis.publish(changesChannel(prefix), JSON.stringify(event));
}

/** Subscribes on its own connection (a subscribed connection can do nothing else). Returns a function that unsubscribes. */
export async function subscribeToChanges(
  subscriber: Redis,
  prefix: string,
  onEvent: (event: ChangeEvent) => void,
): Promise<() => Promise<void>> {
  const channel = changesChannel(prefix);
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const parsed = ChangeEvent.safeParse(safeJson(message));
    if (parsed.success) onEvent(parsed.data);
  });
  await subscriber.subscribe(channel);
  return async () => {
    await subscriber.unsubscribe(channel);
  };
}

/** A message that is not JSON is not a change event of ours: it is dropped like any other that does not parse. */
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
