import { request } from './api.js';
import { browserLanguages, pickLanguage } from './config.js';
import { plural } from './format.js';
import { languages } from './i18n/index.js';

const counted = new Map<HTMLElement, number>();
/** Each filled span's `site\nkey`, so a widget can correct the spans of its own thread. */
const threadOf = new Map<HTMLElement, string>();
/** Spans a widget has set: its thread's count is fresher than a (possibly cached) counts answer. */
const synced = new Set<HTMLElement>();
let pageLang: (string | null | undefined)[] = [];

function write(el: HTMLElement, n: number): void {
  const { key, tag } = pickLanguage([el.getAttribute('data-lang'), ...pageLang], languages);
  el.textContent = plural((languages[key] ?? languages.en)!.count, n, tag);
  el.setAttribute('data-count', String(n));
}

/** Count spans without their own `data-lang` follow the first widget's language. */
export function setCountLanguage(tag: string): void {
  pageLang = [tag];
  counted.forEach((n, el) => {
    write(el, n);
  });
}

/**
 * A widget just read its thread: spans for the same site and thread show that
 * count, so they never disagree with the widget's own heading.
 */
export function syncCount(site: string, key: string, n: number): void {
  threadOf.forEach((thread, el) => {
    if (thread !== `${site}\n${key}`) return;
    synced.add(el);
    counted.set(el, n);
    write(el, n);
  });
}

/**
 * Fills every `[data-comment-count="KEY"]` on the page with one request per
 * site (up to 100 keys each). The site is the span's `data-site`, else the
 * first widget's; an empty key means this page's thread.
 */
export async function fillCounts(api: string, defaultSite: string, defaultKey: string): Promise<void> {
  if (!pageLang.length) pageLang = [document.documentElement.lang, ...browserLanguages()];
  const bySite = new Map<string, Map<string, HTMLElement[]>>();
  document.querySelectorAll<HTMLElement>('[data-comment-count]').forEach((el) => {
    const site = el.getAttribute('data-site') || defaultSite;
    if (!site) return;
    const key = el.getAttribute('data-comment-count') || defaultKey;
    threadOf.set(el, `${site}\n${key}`);
    const keys = bySite.get(site) ?? new Map<string, HTMLElement[]>();
    bySite.set(site, keys.set(key, [...(keys.get(key) ?? []), el]));
  });
  const requests: Promise<void>[] = [];
  bySite.forEach((keys, site) => {
    const all = [...keys.keys()];
    for (let i = 0; i < all.length; i += 100) {
      const chunk = all.slice(i, i + 100);
      const query = chunk.map((k) => `thread=${encodeURIComponent(k)}`).join('&');
      requests.push(
        request<{ counts: Record<string, number> }>(`${api}/v1/sites/${encodeURIComponent(site)}/counts?${query}`).then(
          ({ counts }) => {
            for (const key of chunk) {
              for (const el of keys.get(key) ?? []) {
                if (synced.has(el)) continue;
                counted.set(el, counts[key] ?? 0);
                write(el, counts[key] ?? 0);
              }
            }
          },
          () => {
            // counts are decoration: leave the spans as the page wrote them
          },
        ),
      );
    }
  });
  await Promise.all(requests);
}
