// Honest evaluation: builds the model an experiment may use (never trained on its test
// comments), classifies the test comments and computes the figures.

import { buildBaseModel, shippedDatasets } from './base-model.js';
import { classifyComment } from './classify.js';
import type { Dataset, LabeledComment } from './dataset.js';
import { featuresOf } from './features.js';
import { type SpamModel, emptyCounts, learn, siteModel } from './model.js';
import { normalizeBody } from './text.js';
import type { Mode, Outcome, SpamSettings } from './types.js';

export interface Scored {
  comment: LabeledComment;
  score: number;
  outcome: Outcome;
}

export interface Summary {
  n: number;
  /** Binary view "flagged" (hold or spam) vs approved; positive = labelled spam. */
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  mcc: number;
  /** Area under the ROC curve of the score (threshold-free ranking quality). */
  auc: number;
  /** Share of spam sent to spam. */
  spamCaught: number;
  /** Share of ham sent to spam: the cardinal sin. */
  hamBlocked: number;
  /** Share of spam approved. */
  spamLeaked: number;
  /** Share of ham held for a moderator. */
  hamHeld: number;
  /** Share of all comments held: what fills the moderators' queue. */
  held: number;
}

export interface EvalSetup {
  model: SpamModel;
  /** Training comments dropped because their text also occurs in the test data. */
  droppedTrain: number;
  /** Shipped files left out of the base model because they are test files. */
  excludedFiles: string[];
}

/**
 * The model for an evaluation: the shipped model without any test file (matched by
 * SHA-256) and without any comment whose normalized text occurs in the test data, plus
 * the --train comments learned as a site's moderator decisions (also deduplicated).
 */
export function setupEvaluation(tests: readonly Dataset[], train: readonly Dataset[] = []): EvalSetup {
  const testKeys = new Set(tests.flatMap((d) => d.comments.map((c) => normalizeBody(c.body))));
  const testHashes = new Set(tests.map((d) => d.sha256));
  const base = buildBaseModel({ excludeFiles: testHashes, excludeBodies: testKeys });
  const site = emptyCounts();
  let droppedTrain = 0;
  for (const dataset of train) {
    if (testHashes.has(dataset.sha256)) throw new Error(`${dataset.name} is both a --train and a --test file`);
    for (const comment of dataset.comments) {
      if (testKeys.has(normalizeBody(comment.body))) droppedTrain++;
      else learn(site, featuresOf(comment), comment.label);
    }
  }
  const excludedFiles = shippedDatasets()
    .filter((d) => testHashes.has(d.sha256))
    .map((d) => d.name);
  return { model: site.tokens.size > 0 ? siteModel(base, site) : base, droppedTrain, excludedFiles };
}

/** Classifies each comment with every check that needs no live context (none is available offline). */
export function scoreComments(
  model: SpamModel,
  comments: readonly LabeledComment[],
  mode: Mode = 'auto',
  settings: SpamSettings = {},
): Scored[] {
  return comments.map((comment) => {
    const verdict = classifyComment(
      { body: comment.body, author: comment.author, receivedAt: 0 },
      { settings, model, mode },
    );
    return { comment, score: verdict.score, outcome: verdict.outcome };
  });
}

export function summarize(scored: readonly Scored[]): Summary {
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0,
    spamCaught = 0,
    hamBlocked = 0,
    spamLeaked = 0,
    hamHeld = 0,
    held = 0,
    spam = 0,
    ham = 0;
  for (const { comment, outcome } of scored) {
    const flagged = outcome !== 'approve';
    if (outcome === 'hold') held++;
    if (comment.label === 'spam') {
      spam++;
      if (flagged) tp++;
      else fn++;
      if (outcome === 'spam') spamCaught++;
      if (outcome === 'approve') spamLeaked++;
    } else {
      ham++;
      if (flagged) fp++;
      else tn++;
      if (outcome === 'spam') hamBlocked++;
      if (outcome === 'hold') hamHeld++;
    }
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return {
    n: scored.length,
    tp,
    fp,
    tn,
    fn,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    mcc: mcc(tp, fp, tn, fn),
    auc: auc(scored.map((s) => ({ score: s.score, positive: s.comment.label === 'spam' }))),
    spamCaught: spam ? spamCaught / spam : 0,
    hamBlocked: ham ? hamBlocked / ham : 0,
    spamLeaked: spam ? spamLeaked / spam : 0,
    hamHeld: ham ? hamHeld / ham : 0,
    held: scored.length ? held / scored.length : 0,
  };
}

/** Matthews correlation coefficient; 0 when a margin is empty (the usual convention). */
export function mcc(tp: number, fp: number, tn: number, fn: number): number {
  const denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return denominator === 0 ? 0 : (tp * tn - fp * fn) / denominator;
}

/** ROC AUC by the rank-sum (Mann–Whitney) formula, ties counted as half. */
export function auc(points: ReadonlyArray<{ score: number; positive: boolean }>): number {
  const sorted = [...points].sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]?.score === sorted[i]?.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]?.positive) {
        rankSumPositive += averageRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Averages summaries field by field (for repeated seeded splits). */
export function meanSummary(summaries: readonly Summary[]): Summary {
  const keys = Object.keys(summaries[0] ?? {}) as Array<keyof Summary>;
  const out = {} as Summary;
  for (const key of keys) out[key] = summaries.reduce((sum, s) => sum + s[key], 0) / summaries.length;
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One line of a readable table. */
export function formatRow(label: string, s: Summary): string {
  return [
    label.padEnd(28),
    String(Math.round(s.n)).padStart(5),
    s.mcc.toFixed(3).padStart(6),
    s.auc.toFixed(3).padStart(6),
    pct(s.precision).padStart(7),
    pct(s.recall).padStart(7),
    pct(s.spamCaught).padStart(7),
    pct(s.spamLeaked).padStart(7),
    pct(s.hamHeld).padStart(7),
    pct(s.hamBlocked).padStart(7),
    pct(s.held).padStart(7),
  ].join(' ');
}

export const TABLE_HEADER = `${'data'.padEnd(28)}     n    mcc    auc    prec  recall  spam→S  spam→A   ham→H   ham→S    held`;
