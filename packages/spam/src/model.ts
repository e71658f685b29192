// Boolean multinomial naive Bayes over the tokens of featuresOf(), with Platt scaling.
//
// Why naive Bayes: its state is plain per-token counts, so a site's model is the shipped
// counts plus the site's own, learning a moderator decision is "add one to each token",
// and un-learning it is "subtract one" — exactly what the worker can keep in Postgres.
// Why Platt scaling: summed naive Bayes log-likelihood ratios are wildly over-confident
// (correlated tokens such as a word and its 4-grams each count in full). We fit
// score = sigmoid(scale · rawLogOdds + bias) on held-out predictions, so 0.9 means about 90%.

import type { TokenCounts } from './types.js';

/** Additive (Laplace) smoothing for token probabilities. */
const ALPHA = 1;
/** A site's own decisions count this many times a shipped example: they are closer to its readers. */
export const SITE_WEIGHT = 3;

export interface ModelLayer {
  readonly counts: TokenCounts;
  readonly weight: number;
}

/** Per-class token totals of one layer; computing them walks every token, so do it once. */
interface LayerTotals {
  spamTokens: number;
  hamTokens: number;
}

/** A trained classifier: layers of counts (shipped base, then a site's) and a calibration. */
export interface SpamModel {
  readonly layers: readonly ModelLayer[];
  readonly spamDocs: number;
  readonly hamDocs: number;
  readonly spamTokens: number;
  readonly hamTokens: number;
  /** Distinct tokens (approximate once site layers are added). */
  readonly vocabulary: number;
  /** score = sigmoid(scale · rawLogOdds + bias), fitted on held-out predictions. */
  readonly calibration: { scale: number; bias: number };
  /** For a site model: the shipped model under it (to tell the site's lessons from the shipped opinion). */
  readonly base?: SpamModel;
}

export function emptyCounts(): TokenCounts {
  return { spamDocs: 0, hamDocs: 0, tokens: new Map() };
}

/**
 * Adds (delta 1) or removes (delta −1, to undo an earlier lesson) one labelled document.
 * Counts never go below zero and tokens with no counts left are dropped.
 */
export function learn(counts: TokenCounts, features: string[], label: 'spam' | 'ham', delta: 1 | -1 = 1): void {
  if (label === 'spam') counts.spamDocs = Math.max(0, counts.spamDocs + delta);
  else counts.hamDocs = Math.max(0, counts.hamDocs + delta);
  for (const token of features) {
    let entry = counts.tokens.get(token);
    if (!entry) {
      if (delta < 0) continue;
      entry = { spam: 0, ham: 0 };
      counts.tokens.set(token, entry);
    }
    entry[label] = Math.max(0, entry[label] + delta);
    if (entry.spam === 0 && entry.ham === 0) counts.tokens.delete(token);
  }
}

function totalsOf(counts: TokenCounts): LayerTotals {
  let spamTokens = 0;
  let hamTokens = 0;
  for (const entry of counts.tokens.values()) {
    spamTokens += entry.spam;
    hamTokens += entry.ham;
  }
  return { spamTokens, hamTokens };
}

/** A model from one set of counts with a given calibration. */
export function modelFromCounts(counts: TokenCounts, calibration = { scale: 1, bias: 0 }): SpamModel {
  const totals = totalsOf(counts);
  return {
    layers: [{ counts, weight: 1 }],
    spamDocs: counts.spamDocs,
    hamDocs: counts.hamDocs,
    ...totals,
    vocabulary: counts.tokens.size,
    calibration,
  };
}

/**
 * The base model plus a site's learned counts, weighted `weight` times (default SITE_WEIGHT).
 * Cheap: walks only the site's tokens, the base's counts are shared, not copied.
 */
export function siteModel(base: SpamModel, siteCounts: TokenCounts, weight = SITE_WEIGHT): SpamModel {
  const totals = totalsOf(siteCounts);
  let fresh = 0;
  for (const token of siteCounts.tokens.keys()) if (!lookup(base, token)) fresh++;
  return {
    layers: [...base.layers, { counts: siteCounts, weight }],
    spamDocs: base.spamDocs + weight * siteCounts.spamDocs,
    hamDocs: base.hamDocs + weight * siteCounts.hamDocs,
    spamTokens: base.spamTokens + weight * totals.spamTokens,
    hamTokens: base.hamTokens + weight * totals.hamTokens,
    vocabulary: base.vocabulary + fresh,
    calibration: base.calibration,
    base: base.base ?? base,
  };
}

function lookup(model: SpamModel, token: string): { spam: number; ham: number } | undefined {
  const layers = model.layers;
  if (layers.length === 1) return layers[0]?.counts.tokens.get(token);
  let spam = 0;
  let ham = 0;
  let found = false;
  for (const layer of layers) {
    const entry = layer.counts.tokens.get(token);
    if (entry) {
      spam += layer.weight * entry.spam;
      ham += layer.weight * entry.ham;
      found = true;
    }
  }
  // A layer may carry negative weight (calibration holds out a group by subtracting it).
  return found && spam + ham > 0 ? { spam, ham } : undefined;
}

/**
 * A word of length L yields about L−1 character 4-grams that mostly repeat the word's own
 * evidence; at 1/4 each, a word's n-grams together count about as much as the word.
 */
const NGRAM_WEIGHT = 0.25;
function tokenWeight(token: string): number {
  return token.charCodeAt(0) === 103 /* 'g' */ && token.charCodeAt(1) === 58 /* ':' */ ? NGRAM_WEIGHT : 1;
}

/**
 * Tokens that only say *that* there is a link or an author website (not where to). Readers
 * link to their sources and blogs; in the YouTube data almost every link is spam, so without
 * a cap one ordinary link would outweigh a whole sentence of real text.
 */
const LINK_PRESENCE_CAP = 2.5;
function isLinkPresence(token: string): boolean {
  return (
    token.startsWith('u:') ||
    token.startsWith('d.tld:') ||
    token.startsWith('a.tld:') ||
    token === 'a:url' ||
    token === 'c:bare-link'
  );
}

export interface Evidence {
  /** Sum of per-token log-likelihood ratios (uncalibrated). */
  raw: number;
  /** Calibrated log-odds: scale · raw + bias. */
  logOdds: number;
  /** The tokens that pushed hardest towards spam (positive) and towards ham (negative). */
  spammiest: Array<[string, number]>;
  hammiest: Array<[string, number]>;
}

/**
 * Weighs a document's features. Tokens the model never saw are skipped: they carry no
 * evidence, and counting them would only reward the class with fewer tokens.
 */
export function weigh(model: SpamModel, features: readonly string[], explain = true): Evidence {
  const v = ALPHA * Math.max(model.vocabulary, 1);
  const spamNorm = Math.log(model.spamTokens + v);
  const hamNorm = Math.log(model.hamTokens + v);
  let raw = 0;
  let linkPresence = 0;
  const spammiest: Array<[string, number]> = [];
  const hammiest: Array<[string, number]> = [];
  for (const token of features) {
    const entry = lookup(model, token);
    if (!entry) continue;
    let llr = tokenWeight(token) * (Math.log(entry.spam + ALPHA) - spamNorm - (Math.log(entry.ham + ALPHA) - hamNorm));
    if (llr > 0 && isLinkPresence(token)) {
      // "There is a link" is said by several correlated tokens; together they may push only so far.
      llr = Math.max(0, Math.min(llr, LINK_PRESENCE_CAP - linkPresence));
      linkPresence += llr;
    }
    raw += llr;
    if (!explain) continue;
    if (llr > 0) keepTop(spammiest, token, llr);
    else keepTop(hammiest, token, llr);
  }
  return { raw, logOdds: model.calibration.scale * raw + model.calibration.bias, spammiest, hammiest };
}

/** Keeps the three strongest tokens, strongest first (insertion into a tiny list: no sort, no garbage). */
function keepTop(list: Array<[string, number]>, token: string, llr: number): void {
  const size = 3;
  const strength = Math.abs(llr);
  let at = list.length;
  while (at > 0 && strength > Math.abs(list[at - 1]?.[1] ?? 0)) at--;
  if (at >= size) return;
  list.splice(at, 0, [token, llr]);
  if (list.length > size) list.pop();
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** One training example for trainModel. */
export interface TrainingExample {
  features: string[];
  label: 'spam' | 'ham';
  /** Where it came from (one file or video): calibration holds out one group at a time. */
  group: string;
  /** Normalized body: held-out examples whose text also occurs elsewhere are not used to calibrate. */
  key: string;
}

/**
 * Counts the examples and fits the calibration on held-out predictions: each group (file,
 * i.e. video) is scored by a model of the other groups, so the calibration reflects how
 * the model does on text from a place it has not seen. With one group, 5 folds stand in.
 */
export function trainModel(examples: readonly TrainingExample[]): SpamModel {
  const total = emptyCounts();
  for (const example of examples) learn(total, example.features, example.label);
  let groupOf = (example: TrainingExample, _index: number) => example.group;
  if (new Set(examples.map((e) => e.group)).size < 2) groupOf = (_e, index) => `fold${index % 5}`;

  const groups = new Map<string, { counts: TokenCounts; examples: TrainingExample[] }>();
  examples.forEach((example, index) => {
    const name = groupOf(example, index);
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { counts: emptyCounts(), examples: [] }));
    learn(group.counts, example.features, example.label);
    group.examples.push(example);
  });
  const uncalibrated = modelFromCounts(total);
  const points: Array<{ x: number; y: 0 | 1 }> = [];
  if (groups.size >= 2) {
    for (const [name, group] of groups) {
      // "All minus this group" as a layer of weight −1: no copy of the counts needed.
      const rest = siteModel(uncalibrated, group.counts, -1);
      const restKeys = new Set<string>();
      for (const [other, { examples: list }] of groups) if (other !== name) for (const e of list) restKeys.add(e.key);
      for (const example of group.examples) {
        if (restKeys.has(example.key)) continue;
        points.push({ x: weigh(rest, example.features, false).raw, y: example.label === 'spam' ? 1 : 0 });
      }
    }
  }
  return modelFromCounts(total, fitPlatt(points));
}

/**
 * Platt scaling: the logistic regression of the label on the raw score, fitted by Newton's
 * method, with Platt's smoothed targets so that a perfectly separated set does not run off
 * to infinite confidence.
 */
export function fitPlatt(points: ReadonlyArray<{ x: number; y: 0 | 1 }>): { scale: number; bias: number } {
  const positives = points.filter((p) => p.y === 1).length;
  const negatives = points.length - positives;
  if (positives === 0 || negatives === 0) return { scale: 0.1, bias: 0 };
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  let a = 0.1;
  let b = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (const { x, y } of points) {
      const p = sigmoid(a * x + b);
      const t = y === 1 ? hi : lo;
      const w = p * (1 - p);
      ga += (p - t) * x;
      gb += p - t;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { scale: a, bias: b };
}
