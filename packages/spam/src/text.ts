// Text helpers shared by the checks and the classifier's features.

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '',
};

/** Decodes the HTML entities found in comment bodies (imported data keeps YouTube's HTML). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Turns a body into plain text: decodes entities and replaces tags by spaces, keeping
 * href/src values so that links hidden in markup still count as links.
 */
export function plainText(body: string): string {
  let text = body;
  if (text.includes('<')) {
    text = text.replace(/<[a-z/!][^>]*>/gi, (tag) => {
      const attr = /\b(?:href|src)\s*=\s*["']?([^"'\s>]+)/i.exec(tag);
      return attr?.[1] ? ` ${attr[1]} ` : ' ';
    });
  }
  // Zero-width characters and the BOM are used to dodge word filters (and YouTube appends U+FEFF).
  return decodeEntities(text).replace(/[\u200b-\u200f\u2060\ufeff\u00ad]/g, '');
}

/**
 * Folds text for matching: lower case, German umlauts and ß spelled out (so "für" and
 * "fuer" meet), other accents dropped, compatibility forms (full-width, ligatures) unified.
 */
export function foldText(text: string): string {
  let t = text.toLowerCase();
  // Plain ASCII is the common case; skip the Unicode work for it.
  if (!/[^\x00-\x7f]/.test(t)) return t;
  t = t.replace(/[äöüß]/g, (c) => (c === 'ä' ? 'ae' : c === 'ö' ? 'oe' : c === 'ü' ? 'ue' : 'ss'));
  return t.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/** Splits folded text into words (letters and digits of any script). */
export function wordsOf(folded: string): string[] {
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/**
 * Normalizes a body for duplicate detection (the worker hashes the result): markup,
 * case, accents, punctuation and spacing do not make a copy different.
 */
export function normalizeBody(body: string): string {
  return wordsOf(foldText(plainText(body))).join(' ');
}

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

/** What the checks and the features share, computed once per comment. */
export interface PreparedText {
  plain: string;
  folded: string;
  words: string[];
  links: Link[];
  /** Letters and upper-case letters in the plain text (for the shouting check and token). */
  letters: number;
  upper: number;
}

export function prepareText(body: string): PreparedText {
  const plain = plainText(body);
  const folded = foldText(plain);
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i);
    if (code >= 65 && code <= 90) {
      letters++;
      upper++;
    } else if (code >= 97 && code <= 122) letters++;
    else if (code > 127) {
      const ch = plain[i] ?? '';
      if (/\p{L}/u.test(ch)) {
        letters++;
        if (/\p{Lu}/u.test(ch)) upper++;
      }
    }
  }
  return { plain, folded, words: wordsOf(folded), links: extractLinks(plain), letters, upper };
}
