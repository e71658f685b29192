// The checks. Each is a pure function of the comment (and settings or live context) that
// returns a Finding — a weight in log-odds (positive = spammy) and a sentence for the
// moderator — or null when it has nothing to say. Weights add up before the final sigmoid,
// so +2.2 roughly multiplies the odds of spam by 9, −2.2 divides them by 9.

import type { CommentCandidate, LiveContext, Reason } from './types.js';
import { hostOf, isInternationalHost, isIpHost, isShortener } from './links.js';
import { type PreparedText, foldText, plainText, prepareText, wordsOf } from './text.js';

export interface Finding extends Reason {
  /** A rule the score cannot overrule: 'spam' (honeypot, banned word) or 'hold'. */
  force?: 'spam' | 'hold';
}

/** What the checks share, computed once per comment. */
export interface Prepared extends PreparedText {
  candidate: CommentCandidate;
}

export function prepare(candidate: CommentCandidate): Prepared {
  return { candidate, ...prepareText(candidate.body) };
}

/** A hidden field that people never see, so never fill: whoever fills it is a bot. */
export function checkHoneypot(candidate: CommentCandidate): Finding | null {
  if (!candidate.honeypot?.trim()) return null;
  return {
    check: 'honeypot',
    weight: 8,
    detail: 'The hidden honeypot field was filled in, which only bots do.',
    force: 'spam',
  };
}

/**
 * Time from rendering the form to submitting it. Nobody reads an article and writes a
 * comment in two seconds; a form submitted before it was rendered has a forged timestamp.
 * Slow is fine (readers leave tabs open for days), so only the fast side counts.
 */
export function checkSubmitTime(candidate: CommentCandidate): Finding | null {
  if (candidate.renderedAt == null) return null;
  const seconds = (candidate.receivedAt - candidate.renderedAt) / 1000;
  if (seconds < -5)
    return {
      check: 'timing',
      weight: 3,
      detail: 'The form reports being rendered after the comment arrived (forged timestamp).',
    };
  if (seconds < 3)
    return {
      check: 'timing',
      weight: 4,
      detail: `Submitted ${Math.max(seconds, 0).toFixed(1)} s after the form was shown (humans need at least 3 s).`,
    };
  if (seconds < 8) {
    const words = candidate.body.split(/\s+/).filter(Boolean).length;
    // Writing more than ~5 words a second means the text was pasted or generated.
    if (words / Math.max(seconds, 0.1) > 5) {
      return {
        check: 'timing',
        weight: 1.5,
        detail: `${words} words submitted ${seconds.toFixed(1)} s after the form was shown.`,
      };
    }
  }
  return null;
}

/**
 * Links in the body and the author's url: many links, links that hide their destination
 * (shorteners), look-alike international domains and bare IP addresses.
 */
export function checkLinks(prepared: Prepared, maxLinks: number): Finding[] {
  const findings: Finding[] = [];
  const links = prepared.links;
  if (links.length > maxLinks) {
    const extra = links.length - maxLinks;
    findings.push({
      check: 'links',
      weight: Math.min(1.5 + extra, 5),
      detail: `${links.length} links in the body (limit ${maxLinks}).`,
    });
  }
  const url = prepared.candidate.author.url?.trim();
  const hosts = links.map((l) => l.host);
  if (url) hosts.push(hostOf(url));
  const shortened = hosts.filter(isShortener);
  if (shortened.length > 0) {
    findings.push({
      check: 'links',
      weight: Math.min(2 * shortened.length, 4),
      detail: `${shortened.length} shortened link${shortened.length > 1 ? 's' : ''} hide the destination (${[...new Set(shortened)].join(', ')}).`,
    });
  }
  const international = hosts.filter(isInternationalHost);
  if (international.length > 0) {
    findings.push({
      check: 'links',
      weight: 2,
      detail: `Link to an internationalized (look-alike) domain: ${international[0]}.`,
    });
  }
  const ip = hosts.filter(isIpHost);
  if (ip.length > 0) findings.push({ check: 'links', weight: 2, detail: `Link to a bare IP address: ${ip[0]}.` });
  return findings;
}

/** Compiles a word list entry: whole words or phrases; a trailing `*` also matches longer words. */
function wordPattern(entry: string): RegExp | null {
  const words = wordsOf(foldText(entry.trim()));
  if (words.length === 0) return null;
  const open = entry.trim().endsWith('*');
  const body = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^\\p{L}\\p{N}]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${open ? '' : '(?![\\p{L}\\p{N}])'}`, 'u');
}

// Word lists change rarely and are used for every comment of a site: compile once.
const patternCache = new Map<string, RegExp | null>();
function cachedPattern(entry: string): RegExp | null {
  let pattern = patternCache.get(entry);
  if (pattern === undefined) {
    pattern = wordPattern(entry);
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(entry, pattern);
  }
  return pattern;
}

function authorText(candidate: CommentCandidate): string {
  const { name, email, url } = candidate.author;
  return foldText(plainText([name, email ?? '', url ?? ''].join(' ')));
}

/**
 * The site's banned words: a whole-word match (not a substring — "Cassis" must not trip
 * "ass") in the body or author fields sends the comment to spam in every mode.
 */
export function checkBannedWords(prepared: Prepared, banned: readonly string[]): Finding | null {
  if (banned.length === 0) return null;
  const haystacks = [prepared.folded, authorText(prepared.candidate)];
  for (const entry of banned) {
    const pattern = cachedPattern(entry);
    if (pattern && haystacks.some((h) => pattern.test(h))) {
      return { check: 'banned-word', weight: 8, detail: `Contains the banned word "${entry.trim()}".`, force: 'spam' };
    }
  }
  return null;
}

/**
 * The site's suspect words hold a comment for a moderator. They also match inside words
 * ("kredit" in "Sofortkredit"), which is fine because holding costs a glance, not a reader.
 */
export function checkSuspectWords(prepared: Prepared, suspect: readonly string[]): Finding | null {
  if (suspect.length === 0) return null;
  const haystack = `${prepared.folded} ${authorText(prepared.candidate)}`;
  const hits = suspect.filter((entry) => {
    const needle = foldText(entry.trim().replace(/\*$/, ''));
    return needle.length > 0 && haystack.includes(needle);
  });
  if (hits.length === 0) return null;
  return {
    check: 'suspect-word',
    weight: Math.min(1 + 0.5 * hits.length, 3),
    detail: `Contains suspect word${hits.length > 1 ? 's' : ''} ${hits.map((h) => `"${h.trim()}"`).join(', ')}.`,
    force: 'hold',
  };
}

/** The same text posted again on this site within a day: copy-paste campaigns. */
export function checkDuplicates(context: LiveContext | undefined): Finding | null {
  const copies = context?.recentDuplicates ?? 0;
  if (copies < 1) return null;
  return {
    check: 'duplicate',
    weight: copies >= 3 ? 4 : 2,
    detail: `The same text was posted ${copies} time${copies > 1 ? 's' : ''} on this site in the last 24 hours.`,
  };
}

/** Many comments from one IP or one email within ten minutes. Shared IPs (offices) are common, so IP counts less. */
export function checkBurst(context: LiveContext | undefined): Finding[] {
  const findings: Finding[] = [];
  const ip = context?.burst?.sameIp ?? 0;
  const email = context?.burst?.sameEmail ?? 0;
  if (ip >= 5)
    findings.push({
      check: 'burst',
      weight: ip >= 20 ? 3 : 1.5,
      detail: `${ip} comments from the same IP address in the last 10 minutes.`,
    });
  if (email >= 4)
    findings.push({
      check: 'burst',
      weight: email >= 10 ? 3 : 2,
      detail: `${email} comments from the same email address in the last 10 minutes.`,
    });
  return findings;
}

/**
 * The author's record on this site. Approved comments earn trust; past spam costs it. A
 * site may hold every first-time author (WordPress's "comment author must have a
 * previously approved comment").
 */
export function checkAuthorHistory(
  candidate: CommentCandidate,
  context: LiveContext | undefined,
  holdFirstTime: boolean,
): Finding[] {
  const findings: Finding[] = [];
  const history = context?.authorHistory;
  const approved = history?.approved ?? 0;
  const bad = (history?.spam ?? 0) + (history?.rejected ?? 0);
  if (approved > 0 && bad === 0) {
    findings.push({
      check: 'author-history',
      weight: -Math.min(1.5 + 0.5 * approved, 4),
      detail: `The author has ${approved} approved comment${approved > 1 ? 's' : ''} here and none marked spam.`,
    });
  } else if (bad > approved) {
    findings.push({
      check: 'author-history',
      weight: Math.min(1.5 + bad - approved, 4),
      detail: `The author has ${bad} comment${bad > 1 ? 's' : ''} marked spam or rejected here, ${approved} approved.`,
    });
  }
  if (holdFirstTime && approved === 0 && history !== undefined) {
    findings.push({
      check: 'author-history',
      weight: 0,
      detail: 'First comment by this author; the site holds first-time authors for review.',
      force: 'hold',
    });
  }
  if (candidate.verified)
    findings.push({ check: 'verified', weight: -1, detail: 'The author verified the email address.' });
  return findings;
}

/**
 * Shouting, stretched characters and keyword stuffing. These are weak signals (excited
 * fans write "SOOOO GOOD!!!!"), so they nudge the score but cannot decide on their own.
 */
export function checkShape(prepared: Prepared): Finding[] {
  const findings: Finding[] = [];
  const { letters, upper } = prepared;
  if (letters >= 20 && upper / letters > 0.7) {
    findings.push({
      check: 'shape',
      weight: 0.7,
      detail: `${Math.round((100 * upper) / letters)}% of the letters are capitals.`,
    });
  }
  if (/(\S)\1{9,}/u.test(prepared.plain))
    findings.push({ check: 'shape', weight: 0.5, detail: 'A character is repeated ten or more times in a row.' });
  const words = prepared.words.filter((w) => w.length >= 4);
  if (words.length >= 12) {
    const counts = new Map<string, number>();
    for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    let top = '';
    let most = 0;
    for (const [w, n] of counts) if (n > most) [top, most] = [w, n];
    if (most / words.length > 0.25 && most >= 4) {
      findings.push({
        check: 'shape',
        weight: 1,
        detail: `The word "${top}" makes up ${Math.round((100 * most) / words.length)}% of the text (keyword stuffing).`,
      });
    }
  }
  return findings;
}
