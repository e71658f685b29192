// Text helpers shared by the checks and the classifier's features.

import { type Link, extractLinks } from './links.js';

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
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
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
  // Zero-width and invisible format characters are used to dodge word filters (and YouTube appends U+FEFF).
  return decodeEntities(text).replace(INVISIBLE, '');
}

/** Zero-width, joiner, bidi-control, soft-hyphen, variation-selector and tag characters: invisible, so only there to split words. */
const INVISIBLE =
  /[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\u{e0000}-\u{e007f}]|\u034f|\p{Variation_Selector}|[\u180b-\u180d\u180f]/gu;

/**
 * Folds text for matching: lower case, German umlauts and ß spelled out (so "für" and
 * "fuer" meet), other accents dropped, compatibility forms (full-width, ligatures) unified.
 */
export function foldText(text: string): string {
  let t = text.toLowerCase();
  // Plain ASCII is the common case; skip the Unicode work for it.
  if (/[^\x00-\x7f]/.test(t)) {
    // NFKC first: full-width and mathematical letters (𝐜𝐚𝐬𝐢𝐧𝐨) become plain, and a decomposed ü meets ü.
    t = t.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
    t = t.replace(/[äöüß]/g, (c) => (c === 'ä' ? 'ae' : c === 'ö' ? 'oe' : c === 'ü' ? 'ue' : 'ss'));
    t = t.normalize('NFKD').replace(/\p{M}+/gu, '');
    if (/[\u0370-\u04ff]/.test(t)) {
      // In a text that really is Russian or Greek (letters without a Latin twin), only mixed words are disguises.
      const native = /[\u0370-\u04ff]/.test(t.replace(CONFUSABLE_RE, ''));
      t = t.replace(/[\p{L}\p{N}]+/gu, (word) => unconfuse(word, native));
    }
  }
  return deobfuscate(t);
}

/** Cyrillic and Greek letters that look like Latin ones (the Unicode confusables most used against filters). */
const CONFUSABLE: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ү: 'y',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  γ: 'y',
};

const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLE).join('')}]`, 'g');

/**
 * A word written with look-alike letters ("сheсk" with Cyrillic с) becomes Latin. Only words
 * whose every non-Latin letter is a look-alike: real Russian or Greek words contain letters
 * without a Latin twin and are left alone.
 */
function unconfuse(word: string, native: boolean): string {
  let latin = false;
  for (const ch of word) {
    if (ch < '\u0080') latin = true;
    else if (!(ch in CONFUSABLE)) return word;
  }
  if (!latin && native) return word;
  let out = '';
  for (const ch of word) out += CONFUSABLE[ch] ?? ch;
  return out;
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};
/**
 * A digit or symbol between letters ("v1agra", "c@sino", "m0ney"), or opening a word of
 * letters ("0ut", "$ale"): a letter in disguise. "mp3" and "covid19" end in digits and
 * stay, and so do ordinals ("1st", "3rd", "5ter").
 */
const LEET_RE =
  /(?<=[a-z])[0134578@$!|]+(?=[a-z])|(?<![a-z0-9@$!|.])[0134578$]+(?=[a-z]{2,})(?!(?:st|nd|rd|th|er|en|es|te|tes|ten|ter|x)\b)/g;
/** Letters spaced out one by one ("c h e c k", "v.i.a.g.r.a", "f-r-e-e"): at least three single letters with the same separator. */
const SPACED_RE = /(?<![a-z0-9])[a-z](?:([ .\-_*])[a-z])(?:\1[a-z])+(?![a-z0-9])/g;

/** Undoes the cheap tricks that split or disguise words. Runs on lower-cased ASCII-ish text. */
function deobfuscate(t: string): string {
  let out = t;
  if (/[a-z][0134578@$!|]|[0134578@$][a-z]/.test(out)) {
    // "@" before a domain is an email address, not a disguised "a".
    out = out.replace(LEET_RE, (m, at: number, whole: string) =>
      m === '@' && /^[a-z0-9-]+\./.test(whole.slice(at + 1)) ? m : m.replace(/./g, (c) => LEET[c] ?? c),
    );
  }
  if (/(?:^|[^a-z0-9])[a-z][ .\-_*][a-z][ .\-_*][a-z](?![a-z0-9])/.test(out))
    out = out.replace(SPACED_RE, (m) => m.replace(/[ .\-_*]/g, ''));
  return out;
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
