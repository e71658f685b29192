/**
 * Follows a thread's event stream (Server-Sent Events). The browser's own
 * reconnect sends `Last-Event-ID`; when it gives up (the server answered an
 * error, or was away too long) we open a new stream that names the last id
 * in the query, so nothing approved in between is missed.
 */
export function follow(url: string, on: (type: string, data: unknown) => void): () => void {
  let last = '';
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const handle = (e: Event) => {
    const ev = e as MessageEvent;
    if (ev.lastEventId) last = ev.lastEventId;
    try {
      on(ev.type, JSON.parse(ev.data));
    } catch {
      // a malformed event changes nothing
    }
  };
  const open = () => {
    if (stopped || typeof EventSource === 'undefined') return;
    const es = (source = new EventSource(last ? `${url}?lastEventId=${encodeURIComponent(last)}` : url));
    es.addEventListener('comment', handle);
    es.addEventListener('count', handle);
    es.onerror = () => {
      if (es.readyState === 2) {
        es.close();
        timer = setTimeout(open, 3000);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
