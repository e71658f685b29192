// The tokens the classifier sees. Every token carries a short prefix naming its kind, so
// "w:shop" (a word) and "d:shop.de" (a link's domain) are counted apart.

import type { CommentCandidate } from './types.js';
import { conceptsOf } from './concepts.js';
import { hostOf, isInternationalHost, isIpHost, isShortener, siteOf } from './links.js';
import { type PreparedText, foldText, prepareText, wordsOf } from './text.js';

/** Tokens longer than this are hashed, so the worker's token column stays short. */
const MAX_TOKEN_LENGTH = 64;
/** Words longer than this are not real words (hashes, base64, keyboard mashing). */
const MAX_WORD_LENGTH = 30;
/** Character n-gram length: long enough to carry meaning, short enough to match inside German compounds. */
const NGRAM = 4;

/**
 * The features of a comment: words, word pairs, character 4-grams of words (so
 * "Sofortkredit" shares evidence with "Kredit"), link and author-url domains, and a few
 * shape tokens. Each feature appears once (boolean naive Bayes: repetition is a separate check).
 */
export function featuresOf(candidate: Pick<CommentCandidate, 'body' | 'author'>): string[] {
  return featuresOfPrepared(candidate, prepareText(candidate.body));
}

/** featuresOf() for a body that classifyComment has already prepared. */
export function featuresOfPrepared(candidate: Pick<CommentCandidate, 'body' | 'author'>, text: PreparedText): string[] {
  const out = new Set<string>();
  const { links } = text;
  // A link's pieces ("https", "www", "com", path words) would each count again what the
  // link tokens below already say, so one ordinary link would weigh like five: words come
  // from the text without its links.
  const words =
    links.length > 0 ? wordsOf(foldText(links.reduce((t, l) => t.replace(l.raw, ' '), text.plain))) : text.words;

  let previous = '';
  for (const raw of words) {
    const word = wordToken(raw);
    add(out, `w:${word}`);
    if (previous) add(out, `b:${previous} ${word}`);
    previous = word;
    if (raw.length >= NGRAM && raw.length <= MAX_WORD_LENGTH) {
      const padded = `_${raw}_`;
      for (let i = 0; i + NGRAM <= padded.length; i++) out.add(`g:${padded.slice(i, i + NGRAM)}`);
    }
  }

  if (links.length > 0) out.add('u:link');
  if (links.length > 1) out.add(links.length > 2 ? 'u:links3+' : 'u:links2');
  for (const link of links) addHost(out, 'd', link.host);

  const url = candidate.author.url?.trim();
  if (url) {
    out.add('a:url');
    addHost(out, 'a', hostOf(url));
  }
  for (const concept of conceptsOf(
    text.folded,
    links.map((l) => l.raw),
    url ?? '',
    words.length,
  ))
    out.add(concept);
  const emailDomain = candidate.author.email?.split('@')[1]?.trim().toLowerCase();
  if (emailDomain) add(out, `e:${emailDomain}`);

  addShape(out, text);
  return [...out];
}

function wordToken(word: string): string {
  // Numbers say little by their value and much by their length (prices, phone numbers, years).
  if (/^\d+$/.test(word)) return `#${Math.min(word.length, 8)}`;
  return word.length > MAX_WORD_LENGTH ? `~long${Math.min(Math.floor(word.length / 10), 9)}` : word;
}

function addHost(out: Set<string>, prefix: string, host: string): void {
  if (!host) return;
  add(out, `${prefix}:${siteOf(host)}`);
  const tld = host.slice(host.lastIndexOf('.') + 1);
  if (tld && tld !== host) add(out, `${prefix}.tld:${tld}`);
  if (isShortener(host)) out.add(`${prefix}:~shortener`);
  if (isInternationalHost(host)) out.add(`${prefix}:~idn`);
  if (isIpHost(host)) out.add(`${prefix}:~ip`);
}

function addShape(out: Set<string>, text: PreparedText): void {
  const { plain, letters, upper } = text;
  const wordCount = text.words.length;
  // Length in rough doubling buckets: ham on a music video is short, "check out my channel" essays are long.
  out.add(`m:len${wordCount === 0 ? 0 : Math.min(Math.ceil(Math.log2(wordCount + 1)), 8)}`);
  if (letters >= 12 && upper / letters > 0.6) out.add('m:caps');
  if (/[!?]{3,}/.test(plain)) out.add('m:bang3');
  if (plain.includes('@') && /[\w.+-]+@[\w-]+\.[\w.-]+/.test(plain)) out.add('m:email');
  if (/[$€£]\s?\d|\d\s?[$€£]|\b\d+\s?(?:usd|eur|euro|dollars?)\b/i.test(plain)) out.add('m:money');
  if (/(?:\+|\b)\d[\d ()/-]{7,}\d\b/.test(plain)) out.add('m:phone');
}

function add(out: Set<string>, token: string): void {
  out.add(token.length > MAX_TOKEN_LENGTH ? `${token.slice(0, 2)}~${fnv1a(token)}` : token);
}

/** 32-bit FNV-1a as 8 hex digits: stable across processes, which the stored counts need. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
