// An outside opinion (an Akismet-compatible service) folded into a verdict. The call itself
// lives in the worker, behind a timeout and a circuit breaker; this part stays pure.

import { DEFAULT_SETTINGS } from './classify.js';
import { sigmoid } from './model.js';
import type { Mode, SpamSettings, Verdict } from './types.js';

/** What the outside service said, or why it said nothing. */
export type OutsideOpinion = { spam: boolean; discard: boolean } | { unavailable: string };

/**
 * The outside service is asked only about the uncertain middle: comments held on the score
 * alone (not by a rule such as a suspect word, and not just because pre-moderation holds
 * everything) — including those the text classifier alone rated above the spam threshold.
 */
export function isUncertain(verdict: Verdict, settings: SpamSettings): boolean {
  const { hold } = settings.thresholds ?? DEFAULT_SETTINGS.thresholds;
  return verdict.outcome === 'hold' && !verdict.forced && verdict.score >= hold;
}

/** Log-odds an answer adds: "discard" (blatant spam) is sure, a plain yes or no is one more strong sign. */
const WEIGHT = { discard: 4, spam: 2.5, ham: -2.5 };

/**
 * The verdict with the outside answer as one more reason. "Spam, discard" sends the comment
 * to spam; a plain yes or no moves the score and the usual thresholds decide (a no can
 * approve only in auto mode). No answer changes nothing but says so.
 */
export function withOutsideOpinion(
  verdict: Verdict,
  opinion: OutsideOpinion,
  options: { settings: SpamSettings; mode: Mode; service?: string },
): Verdict {
  const service = options.service ?? 'Akismet';
  if ('unavailable' in opinion) {
    return {
      ...verdict,
      reasons: [
        ...verdict.reasons,
        {
          check: 'akismet',
          weight: 0,
          detail: `${service} was not asked or did not answer (${opinion.unavailable}); decided without it.`,
        },
      ],
    };
  }
  const { hold, spam } = options.settings.thresholds ?? DEFAULT_SETTINGS.thresholds;
  const weight = opinion.spam ? (opinion.discard ? WEIGHT.discard : WEIGHT.spam) : WEIGHT.ham;
  const logit = Math.log(verdict.score / (1 - verdict.score));
  const score = sigmoid(logit + weight);
  const detail = opinion.spam
    ? opinion.discard
      ? `${service} calls it blatant spam ("discard").`
      : `${service} calls it spam.`
    : `${service} calls it a real comment.`;
  let outcome = verdict.outcome;
  if (opinion.spam && (opinion.discard || score >= spam)) outcome = 'spam';
  else if (!opinion.spam && options.mode === 'auto' && score < hold) outcome = 'approve';
  const reasons = [...verdict.reasons, { check: 'akismet', weight, detail }].sort(
    (a, b) => Math.abs(b.weight) - Math.abs(a.weight),
  );
  return { ...verdict, score: outcome === 'spam' ? Math.max(score, spam) : score, outcome, reasons };
}
