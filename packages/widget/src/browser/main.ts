/*
 * Entry of /embed.js. Finds the widget containers, mounts one widget into
 * each, and fills the comment-count spans. See the package README for the
 * attributes.
 */
import { apiBaseFromScript, resolveIngest, threadKeyOf } from './config.js';
import { fillCounts, setCountLanguage, syncCount } from './counts.js';
import { mark, mount } from './widget.js';

mark('stammtisch:start');

// currentScript is only set while this script first runs, so take it now.
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  [...document.querySelectorAll<HTMLScriptElement>('script[src]')]
    .reverse()
    .find((s) => /\/embed\.js(?:[?#]|$)/.test(s.src)) ??
  null;

const CONTAINERS = '[data-stammtisch],[data-site]:not([data-comment-count]):not(script)';

function start(): void {
  const api = apiBaseFromScript(script?.getAttribute('data-api') || script?.src || '', location.origin);
  const hosts = [...document.querySelectorAll<HTMLElement>(CONTAINERS)];
  hosts.forEach((host, i) => {
    mount(host, {
      api,
      ingest: resolveIngest(
        [
          host.getAttribute('data-ingest'),
          script?.getAttribute('data-ingest'),
          (window as { STAMMTISCH_INGEST_URL?: string }).STAMMTISCH_INGEST_URL,
        ],
        api,
      ),
      onLang: i ? undefined : setCountLanguage,
      onCount: syncCount,
    });
  });
  const first = hosts[0];
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]');
  fillCounts(
    api,
    first?.getAttribute('data-site') || first?.getAttribute('data-stammtisch') || '',
    threadKeyOf(first?.getAttribute('data-thread') ?? null, canonical?.href, location.pathname),
  );
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
