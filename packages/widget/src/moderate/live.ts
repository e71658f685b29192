import type { DecidedEvent, QueueItem } from './types.js';

/**
 * The moderators' stream (`GET /v1/moderation/events`): new held comments
 * and decisions, as they happen. EventSource reconnects by itself; after a
 * drop the page reloads the list once, so nothing missed stays missing.
 */
export function connectLive(handlers: {
  held: (item: QueueItem) => void;
  decided: (event: DecidedEvent) => void;
  connected: (afterDrop: boolean) => void;
  dropped: () => void;
}): () => void {
  if (typeof EventSource !== 'function') return () => {};
  const source = new EventSource('/v1/moderation/events', { withCredentials: true });
  let dropped = false;
  source.addEventListener('open', () => {
    handlers.connected(dropped);
    dropped = false;
  });
  source.addEventListener('error', () => {
    if (dropped) return;
    dropped = true;
    handlers.dropped();
  });
  source.addEventListener('held', (e) => {
    const item = parse<QueueItem>((e as MessageEvent<string>).data);
    if (item) handlers.held(item);
  });
  source.addEventListener('decided', (e) => {
    const event = parse<DecidedEvent>((e as MessageEvent<string>).data);
    if (event) handlers.decided(event);
  });
  return () => source.close();
}

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}
