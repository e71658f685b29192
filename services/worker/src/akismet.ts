import type { OutsideOpinion } from '@stammtisch/spam';

// A client for Akismet's documented comment-check call (and any service that speaks it):
// POST form-encoded to {endpoint}/1.1/comment-check; the body is "true" (spam) or "false",
// and "X-akismet-pro-tip: discard" marks blatant spam. Anything else is an error, explained
// by "X-akismet-debug-help" when the service sends it.
//
// The queue must never wait on it: every call has a timeout, and a circuit breaker stops
// calling after repeated failures (timeouts, network errors, 5xx) until a cool-down has
// passed; then one trial call decides whether to close it again. An answer that blames the
// request (an invalid key of one site) is that site's problem and does not trip the breaker
// for the others.

export interface AkismetOptions {
  /** Default https://rest.akismet.com; an installation may point to a compatible service (AKISMET_URL). */
  endpoint?: string;
  timeoutMs?: number;
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long the open circuit refuses calls before one trial. */
  cooldownMs?: number;
  now?: () => number;
}

export interface AkismetComment {
  /** The site's front page (Akismet's `blog`). */
  blog: string;
  /** The thread's page (Akismet's `permalink`). */
  permalink?: string | null;
  /** The reader's address as the service wants it; we only keep a keyed hash of it, see README. */
  userIp: string;
  userAgent?: string | null;
  author: string;
  email?: string | null;
  url?: string | null;
  content: string;
  /** When the comment was written. */
  date: Date;
  lang?: string | null;
}

export type AkismetClient = ReturnType<typeof createAkismetClient>;

export function createAkismetClient(options: AkismetOptions = {}) {
  const endpoint = (options.endpoint ?? 'https://rest.akismet.com').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 1500;
  const failureThreshold = options.failureThreshold ?? 3;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const now = options.now ?? Date.now;
  let failures = 0;
  let openUntil = 0;
  let trialInFlight = false;

  function failed(): void {
    failures++;
    if (failures >= failureThreshold || openUntil > 0) {
      // Open (again): a failed trial re-opens at once.
      openUntil = now() + cooldownMs;
      failures = 0;
    }
  }

  async function commentCheck(key: string, comment: AkismetComment): Promise<OutsideOpinion> {
    let trial = false;
    if (openUntil > 0) {
      if (now() < openUntil) return { unavailable: 'circuit open after repeated failures' };
      if (trialInFlight) return { unavailable: 'circuit half-open, a trial call is under way' };
      trial = true;
      trialInFlight = true;
    }
    const form = new URLSearchParams({
      api_key: key,
      blog: comment.blog,
      user_ip: comment.userIp,
      comment_type: 'comment',
      comment_author: comment.author,
      comment_content: comment.content,
      comment_date_gmt: comment.date.toISOString(),
      blog_charset: 'UTF-8',
    });
    if (comment.permalink) form.set('permalink', comment.permalink);
    if (comment.userAgent) form.set('user_agent', comment.userAgent);
    if (comment.email) form.set('comment_author_email', comment.email);
    if (comment.url) form.set('comment_author_url', comment.url);
    if (comment.lang) form.set('blog_lang', comment.lang);
    try {
      const res = await fetch(`${endpoint}/1.1/comment-check`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'user-agent': 'Stammtisch/1.0 | Akismet-compatible client',
        },
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = (await res.text()).trim();
      if (res.ok && (text === 'true' || text === 'false')) {
        failures = 0;
        openUntil = 0;
        return { spam: text === 'true', discard: res.headers.get('x-akismet-pro-tip') === 'discard' };
      }
      const help = res.headers.get('x-akismet-debug-help');
      const why = `answered ${res.status}${text ? ` "${text.slice(0, 40)}"` : ''}${help ? `: ${help.slice(0, 120)}` : ''}`;
      // A 4xx or an "invalid" body blames this request (a wrong key), not the service.
      if (res.status >= 500) failed();
      else if (trial) openUntil = 0;
      return { unavailable: why };
    } catch (error) {
      failed();
      const name = (error as Error).name;
      return {
        unavailable:
          name === 'TimeoutError' || name === 'AbortError'
            ? `no answer within ${timeoutMs} ms`
            : `request failed: ${(error as Error).message}`,
      };
    } finally {
      if (trial) trialInFlight = false;
    }
  }

  return {
    commentCheck,
    /** For metrics and tests. */
    state(): 'closed' | 'open' | 'half-open' {
      if (openUntil === 0) return 'closed';
      return now() < openUntil ? 'open' : 'half-open';
    },
  };
}
