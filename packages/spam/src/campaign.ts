// Campaigns across the installation. Spam comes in waves with small variations, posted on
// many sites. When a moderator on any site marks a comment spam, the api stores its
// *signals* — a near-duplicate fingerprint (MinHash) of the normalised text, hashes of its link
// domains, of the author's email and of the (already hashed) IP — and the worker looks a
// new comment's signals up, so the third site sees the campaign at first sight.
//
// Only hashes and fingerprints are stored or compared: no site's moderators can read
// another site's comments, names or addresses from them. Everything here is pure.

import { createHash } from 'node:crypto';
import type { Finding } from './checks.js';
import { hostOf, siteOf } from './links.js';
import { foldText, plainText, prepareText, wordsOf } from './text.js';
import type { CampaignMatches, CommentCandidate } from './types.js';

export type SignalKind = 'text' | 'domain' | 'email' | 'ip';

export interface CampaignSignal {
  kind: SignalKind;
  /** What the store is searched by: a hash, or for `text` one 16-bit band of the fingerprint. */
  value: string;
  /** `text` only: the whole MinHash (HASHES × 8 hex digits), compared by estimated similarity. */
  fingerprint?: string;
  /** `domain` only, never stored: the comment's own domain, for its reason. */
  label?: string;
}

/** Texts shorter than this (normalised, without links) say too little to be a campaign: "nice video" is not one. */
const MIN_TEXT_CHARS = 40;
const MIN_TEXT_WORDS = 6;
/** MinHash size, and how it is cut into bands for the store's exact look-up (a candidate shares one band). */
const HASHES = 32;
const ROWS_PER_BAND = 2;
/**
 * Estimated Jaccard similarity of the texts' 5-gram sets at or above which two texts are near
 * copies. A wave's variants (another name, number or link, a word more) share well over half
 * their 5-grams; unrelated texts a few per cent.
 */
export const NEAR_COPY_SIMILARITY = 0.45;

/**
 * Domains too common to mark anyone: a spam comment linking YouTube or Wikipedia says
 * nothing about the next comment that does. Shorteners are judged by the links check.
 */
const COMMON_DOMAINS = new Set([
  'youtube.com',
  'youtu.be',
  'google.com',
  'wikipedia.org',
  'facebook.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'github.com',
  'reddit.com',
  'linkedin.com',
  'tiktok.com',
  'spotify.com',
  'apple.com',
  'amazon.com',
  'amazon.de',
  'spiegel.de',
  'zeit.de',
  'tagesschau.de',
  'example.com',
  'example.org',
]);

/** The signals of one comment (for storing after a spam decision, and for looking a new comment up). */
export function campaignSignals(
  comment: Pick<CommentCandidate, 'body' | 'author'> & { ipHash?: string | null },
): CampaignSignal[] {
  const signals: CampaignSignal[] = [];
  const text = prepareText(comment.body);
  const fingerprint = textFingerprint(
    comment.body,
    text.links.map((l) => l.raw),
  );
  if (fingerprint) {
    const width = ROWS_PER_BAND * 8;
    for (let band = 0; band < HASHES / ROWS_PER_BAND; band++) {
      signals.push({
        kind: 'text',
        value: `t${band}:${fingerprint.slice(band * width, (band + 1) * width)}`,
        fingerprint,
      });
    }
  }
  const domains = new Set(text.links.map((l) => siteOf(l.host)));
  const url = comment.author.url?.trim();
  if (url) domains.add(siteOf(hostOf(url)));
  for (const domain of domains) {
    if (!domain || COMMON_DOMAINS.has(domain)) continue;
    signals.push({ kind: 'domain', value: digest('domain', domain), label: domain });
  }
  const email = comment.author.email?.trim().toLowerCase();
  if (email?.includes('@')) signals.push({ kind: 'email', value: digest('email', email) });
  if (comment.ipHash) signals.push({ kind: 'ip', value: digest('ip', comment.ipHash) });
  return signals;
}

function digest(kind: string, value: string): string {
  return createHash('sha256').update(`${kind}:${value}`).digest('base64url').slice(0, 22);
}

/**
 * MinHash of the normalised text without its links, over character 5-grams of its words
 * joined by single spaces: HASHES minima as 8 hex digits each. The share of equal minima
 * estimates the Jaccard similarity of two texts' 5-gram sets, so a changed name, number or
 * link moves it little. Null for texts too short to tell a campaign from a common phrase.
 */
export function textFingerprint(body: string, links: readonly string[] = []): string | null {
  let plain = plainText(body);
  for (const link of links) plain = plain.replace(link, ' ');
  const words = wordsOf(foldText(plain));
  const normal = words.join(' ');
  if (words.length < MIN_TEXT_WORDS || normal.length < MIN_TEXT_CHARS) return null;
  const minima = new Uint32Array(HASHES).fill(0xffffffff);
  for (let i = 0; i + 5 <= normal.length; i++) {
    const base = fnv(normal.slice(i, i + 5));
    for (let k = 0; k < HASHES; k++) {
      // One cheap independent-enough permutation per slot: multiply-xorshift with per-slot constants.
      let h = Math.imul(base ^ SEEDS[k]!, 0x9e3779b1);
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b) >>> 0;
      if (h < minima[k]!) minima[k] = h;
    }
  }
  let hex = '';
  for (const m of minima) hex += m.toString(16).padStart(8, '0');
  return hex;
}

const SEEDS = Array.from({ length: HASHES }, (_, k) => Math.imul(k + 1, 0x27d4eb2f) >>> 0);

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Estimated Jaccard similarity of two fingerprints: the share of equal minima. */
export function similarity(a: string, b: string): number {
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (a.slice(k * 8, k * 8 + 8) === b.slice(k * 8, k * 8 + 8)) same++;
  return same / HASHES;
}

/** One stored signal from a moderator's spam decision (what the store returns for a look-up). */
export interface StoredSignal {
  kind: SignalKind;
  value: string;
  fingerprint: string | null;
  siteId: string;
}

/**
 * What a comment's signals found in the store: on how many distinct sites each kind was
 * marked spam. The worker calls this with the rows its one batch query returned.
 */
export function matchCampaign(signals: readonly CampaignSignal[], stored: readonly StoredSignal[]): CampaignMatches {
  const byValue = new Map<string, StoredSignal[]>();
  for (const row of stored) {
    const list = byValue.get(row.value);
    if (list) list.push(row);
    else byValue.set(row.value, [row]);
  }
  const textSites = new Set<string>();
  const emailSites = new Set<string>();
  const ipSites = new Set<string>();
  const domains: Array<{ domain: string; sites: number }> = [];
  for (const signal of signals) {
    const rows = byValue.get(signal.value) ?? [];
    if (rows.length === 0) continue;
    if (signal.kind === 'text' && signal.fingerprint) {
      for (const row of rows)
        if (row.fingerprint && similarity(row.fingerprint, signal.fingerprint) >= NEAR_COPY_SIMILARITY)
          textSites.add(row.siteId);
    } else if (signal.kind === 'domain')
      domains.push({ domain: signal.label ?? 'a linked domain', sites: new Set(rows.map((r) => r.siteId)).size });
    else if (signal.kind === 'email') for (const row of rows) emailSites.add(row.siteId);
    else if (signal.kind === 'ip') for (const row of rows) ipSites.add(row.siteId);
  }
  domains.sort((a, b) => b.sites - a.sites);
  return { textSites: textSites.size, domains, emailSites: emailSites.size, ipSites: ipSites.size };
}

const sitesWord = (n: number) => (n === 1 ? 'one site' : `${n} sites`);

/**
 * The campaign evidence as findings. Each names how many sites' moderators marked what as
 * spam, never which sites or what they saw. Weights: a near copy of a text that moderators
 * on two sites called spam is hard evidence on its own; a domain, email or IP adds.
 */
export function checkCampaign(matches: CampaignMatches | undefined): Finding[] {
  if (!matches) return [];
  const findings: Finding[] = [];
  if (matches.textSites > 0) {
    findings.push({
      check: 'campaign',
      weight: matches.textSites >= 2 ? 5 : 3,
      detail: `A near copy of this text was marked spam by moderators on ${sitesWord(matches.textSites)} of this installation (spam campaign).`,
    });
  }
  const domain = matches.domains[0];
  if (domain) {
    findings.push({
      check: 'campaign',
      weight: domain.sites >= 2 ? 3 : 1.5,
      detail: `Links to ${domain.domain}, which moderators on ${sitesWord(domain.sites)} of this installation marked as spam.`,
    });
  }
  if (matches.emailSites > 0) {
    findings.push({
      check: 'campaign',
      weight: matches.emailSites >= 2 ? 3 : 2,
      detail: `The author's email address was on comments marked spam on ${sitesWord(matches.emailSites)} of this installation.`,
    });
  }
  if (matches.ipSites > 0) {
    // Shared and dynamic addresses exist: weaker than an email.
    findings.push({
      check: 'campaign',
      weight: matches.ipSites >= 2 ? 2 : 1,
      detail: `Sent from an address that sent comments marked spam on ${sitesWord(matches.ipSites)} of this installation.`,
    });
  }
  return findings;
}
