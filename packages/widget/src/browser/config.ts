/** Where the widget talks to, and which thread and language it shows. Pure functions. */

/** The api base: the script's URL without `/embed.js` (keeps a path prefix, drops query and hash). */
export function apiBaseFromScript(src: string, fallback: string): string {
  if (!src) return fallback;
  const url = new URL(src, fallback);
  return url.origin + url.pathname.replace(/\/embed\.js$/, '').replace(/\/$/, '');
}

/**
 * The ingest base: the first explicit candidate (container `data-ingest`,
 * script `data-ingest`, `window.STAMMTISCH_INGEST_URL`), else the api origin
 * with port 8081 — the development default of API.md.
 */
export function resolveIngest(candidates: (string | null | undefined)[], api: string): string {
  for (const candidate of candidates) if (candidate) return candidate.replace(/\/$/, '');
  const url = new URL(api);
  url.port = '8081';
  return url.origin;
}

/** `data-thread`, else the canonical link's path, else the page path. */
export function threadKeyOf(attr: string | null, canonicalHref: string | null | undefined, pathname: string): string {
  if (attr) return attr;
  if (canonicalHref) {
    try {
      return new URL(canonicalHref).pathname;
    } catch {
      // a broken canonical link is the page's problem; fall back to the path
    }
  }
  return pathname;
}

/**
 * The first candidate whose base language we have (`de-AT` → `de`), with a
 * tag Intl accepts; English when none matches.
 */
export function pickLanguage(
  candidates: (string | null | undefined)[],
  available: Record<string, unknown>,
): { key: string; tag: string } {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const tag = candidate.trim().replace(/_/g, '-');
    const key = tag.toLowerCase().split('-')[0] ?? '';
    if (!(key in available)) continue;
    try {
      return { key, tag: Intl.getCanonicalLocales(tag)[0] ?? key };
    } catch {
      return { key, tag: key };
    }
  }
  return { key: 'en', tag: 'en' };
}

/** The browser's preferred languages; older browsers only know navigator.language. */
export function browserLanguages(): readonly string[] {
  return navigator.languages || [navigator.language];
}
