// Links in comment text: finding them, and what their hosts say (shorteners, look-alike or bare-IP hosts).

export interface Link {
  /** The link as written. */
  raw: string;
  /** Lower-cased host name without port or trailing dot. */
  host: string;
}

// Bare domains count as links only for these TLDs: spammers write "example.com" without a
// scheme, but a sentence like "version 2.0" or "e.g." must not become a link.
const BARE_TLDS =
  'com|net|org|info|biz|de|at|ch|eu|ru|io|co|me|ly|gl|tk|ml|ga|cf|gq|xyz|online|site|club|top|shop|store|us|uk|cc|tv|in|pl|nl|fr|it|es|cn|win|bid|loan|vip|app|link|click|live';
const LINK_RE = new RegExp(
  `\\bhttps?://[^\\s<>"'\\])]+|\\bwww\\.[^\\s<>"'\\])]+|\\b(?:xn--)?[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.(?:${BARE_TLDS})\\b(?:/[^\\s<>"'\\])]*)?`,
  'giu',
);

/** Finds links in plain text: with scheme, starting with www., or bare domains with a common TLD. */
export function extractLinks(text: string): Link[] {
  const links: Link[] = [];
  for (const match of text.matchAll(LINK_RE)) {
    const raw = match[0];
    const host = hostOf(raw);
    if (host) links.push({ raw, host });
  }
  return links;
}

/** The host of a URL-ish string, or '' when there is none. */
export function hostOf(url: string): string {
  let rest = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const end = rest.search(/[/?#:\s]/);
  if (end >= 0) rest = rest.slice(0, end);
  rest = rest.replace(/^[^@]*@/, ''); // user info
  return rest.toLowerCase().replace(/\.+$/, '');
}

const SECOND_LEVELS = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'or', 'ne', 'go']);

/** The registrable part of a host ("shop.example.co.uk" → "example.co.uk"), good enough for tokens. */
export function siteOf(host: string): string {
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const tld = labels[labels.length - 1] ?? '';
  const second = labels[labels.length - 2] ?? '';
  const keep = tld.length === 2 && SECOND_LEVELS.has(second) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/** Well-known URL shorteners: they hide the destination, which real readers rarely need to do. */
export const SHORTENERS = new Set([
  'bit.ly',
  'bitly.com',
  'goo.gl',
  'tinyurl.com',
  't.co',
  'ow.ly',
  'is.gd',
  'v.gd',
  'buff.ly',
  'adf.ly',
  'cutt.ly',
  'rb.gy',
  'shorturl.at',
  'tiny.cc',
  'rebrand.ly',
  't.ly',
  's.id',
  'lnkd.in',
  'bl.ink',
  'shorte.st',
  'ouo.io',
  'soo.gd',
  'clck.ru',
  'qps.ru',
  'bit.do',
  'x.co',
  'tr.im',
  'cli.gs',
  'u.to',
  'tiny.one',
  'shrtco.de',
  'short.gy',
  'snip.ly',
  'po.st',
  'mcaf.ee',
  'db.tt',
  'j.mp',
]);

export function isShortener(host: string): boolean {
  return SHORTENERS.has(host) || SHORTENERS.has(host.replace(/^www\./, ''));
}

/** Punycode labels or raw non-ASCII host names: look-alike domains ("pаypal" with a Cyrillic a). */
export function isInternationalHost(host: string): boolean {
  return host.startsWith('xn--') || host.includes('.xn--') || /[^\x00-\x7f]/.test(host);
}

export function isIpHost(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}
