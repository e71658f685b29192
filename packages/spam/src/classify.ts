// Combines the checks and the classifier into one score and one outcome.

import {
  type Finding,
  checkAuthorHistory,
  checkBannedWords,
  checkBurst,
  checkDuplicates,
  checkHoneypot,
  checkLinks,
  checkShape,
  checkSubmitTime,
  checkSuspectWords,
  prepare,
} from './checks.js';
import { featuresOf, featuresOfPrepared } from './features.js';
import type { PreparedText } from './text.js';
import { type SpamModel, sigmoid, weigh } from './model.js';
import type { CommentCandidate, LiveContext, Mode, Outcome, Reason, SpamSettings, Verdict } from './types.js';

export const DEFAULT_SETTINGS = {
  maxLinks: 2,
  thresholds: { hold: 0.5, spam: 0.9 },
} as const;

export interface ClassifyOptions {
  settings: SpamSettings;
  model: SpamModel;
  /** auto: the score decides; pre: everything not spam is held; post: everything not spam is approved. */
  mode: Mode;
  context?: LiveContext;
}

/**
 * Runs every check and the classifier, adds their log-odds weights and maps the sum
 * through a sigmoid to a score in [0, 1]. A filled honeypot or a banned word is spam in
 * every mode; a suspect word or the first-time-author rule holds in auto and pre mode.
 */
export function classifyComment(candidate: CommentCandidate, opts: ClassifyOptions): Verdict {
  const { settings, model, mode, context } = opts;
  const thresholds = settings.thresholds ?? DEFAULT_SETTINGS.thresholds;
  const prepared = prepare(candidate);

  const findings: Finding[] = [];
  const push = (finding: Finding | null) => {
    if (finding) findings.push(finding);
  };
  push(checkHoneypot(candidate));
  push(checkSubmitTime(candidate));
  findings.push(...checkLinks(prepared, settings.maxLinks ?? DEFAULT_SETTINGS.maxLinks));
  push(checkBannedWords(prepared, settings.bannedWords ?? []));
  push(checkSuspectWords(prepared, settings.suspectWords ?? []));
  push(checkDuplicates(context));
  findings.push(...checkBurst(context));
  findings.push(...checkAuthorHistory(candidate, context, settings.holdFirstTimeAuthors ?? false));
  findings.push(...checkShape(prepared));
  findings.push(classifierFinding(candidate, model, prepared));

  const total = findings.reduce((sum, f) => sum + f.weight, 0);
  const score = sigmoid(total);
  const forced = findings.some((f) => f.force === 'spam') ? 'spam' : findings.some((f) => f.force === 'hold') ? 'hold' : null;
  const outcome = decide(score, mode, thresholds, forced);
  const reasons: Reason[] = findings
    .map(({ check, weight, detail }) => ({ check, weight: Math.round(weight * 100) / 100, detail }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return { score: forced === 'spam' ? Math.max(score, thresholds.spam) : score, outcome, reasons };
}

function decide(score: number, mode: Mode, thresholds: { hold: number; spam: number }, forced: 'spam' | 'hold' | null): Outcome {
  if (forced === 'spam' || score >= thresholds.spam) return 'spam';
  if (mode === 'pre') return 'hold';
  if (mode === 'post') return 'approve';
  return forced === 'hold' || score >= thresholds.hold ? 'hold' : 'approve';
}

/** The classifier as one finding, naming the tokens that weighed most in its direction. */
export function classifierFinding(candidate: Pick<CommentCandidate, 'body' | 'author'>, model: SpamModel, prepared?: PreparedText): Finding {
  const evidence = weigh(model, prepared ? featuresOfPrepared(candidate, prepared) : featuresOf(candidate));
  const percent = Math.round(100 * sigmoid(evidence.logOdds));
  const signs = (evidence.logOdds >= 0 ? evidence.spammiest : evidence.hammiest).map(([token]) => describeToken(token));
  const leaning = evidence.logOdds >= 0 ? 'spam-like' : 'like a real comment';
  const because = signs.length > 0 ? ` (strongest signs: ${[...new Set(signs)].join(', ')})` : '';
  return {
    check: 'classifier',
    weight: evidence.logOdds,
    detail: `The text classifier rates it ${evidence.logOdds >= 0 ? percent : 100 - percent}% ${leaning}${because}.`,
  };
}

/** Turns a feature token back into words a moderator understands. */
function describeToken(token: string): string {
  const value = token.slice(token.indexOf(':') + 1);
  switch (token.slice(0, token.indexOf(':'))) {
    case 'w':
    case 'b':
      return `"${value}"`;
    case 'g':
      return `"…${value.replace(/_/g, '')}…"`;
    case 'd':
      return value.startsWith('~') ? `a ${value.slice(1)} link` : `a link to ${value}`;
    case 'd.tld':
      return `a .${value} link`;
    case 'a':
      return value === 'url' ? 'an author website' : `the author website ${value}`;
    case 'a.tld':
      return `a .${value} author website`;
    case 'e':
      return `an email at ${value}`;
    case 'u':
      return value === 'link' ? 'a link' : 'several links';
    default:
      return 'its length or form';
  }
}

export type ModerationStatus = 'approved' | 'pending' | 'spam';

/**
 * What a moderator's decision teaches the site's classifier: approving a held or spam
 * comment teaches ham, marking an approved or held comment as spam teaches spam, and
 * anything else teaches nothing. The worker adds the comment's featuresOf() with this label.
 */
export function lessonFor(from: ModerationStatus, to: ModerationStatus): 'spam' | 'ham' | null {
  if (to === 'approved' && (from === 'pending' || from === 'spam')) return 'ham';
  if (to === 'spam' && (from === 'approved' || from === 'pending')) return 'spam';
  return null;
}
