// Reproduces the evaluation protocols on the shipped videos:
//   1. leave-one-video-out: the model learns two videos and is tested on the third;
//   2. the TubeSpam paper's protocol: within one video, train on 70 %, test on 30 %
//      (stratified, seeded, repeated over 10 seeds and averaged), both with a model of that
//      video's 70 % alone ("paper") and with the other videos plus the 70 % as site lessons ("site").
// Every protocol drops training comments whose normalized text occurs in its test data.
//
// npx tsx src/evaluate-protocols.ts [--seeds 10]

import { parseArgs } from 'node:util';
import { examplesOf, shippedDatasets } from './base-model.js';
import type { Dataset, LabeledComment } from './dataset.js';
import { type Scored, type Summary, TABLE_HEADER, formatRow, meanSummary, scoreComments, setupEvaluation, summarize } from './evaluate.js';
import { trainModel } from './model.js';
import { normalizeBody } from './text.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '10' } } });
const seeds = Number(values.seeds);
// Only the videos are test sets; our own seed set (data/seed-de-en.jsonl) is training data only.
const videos = shippedDatasets().filter((d) => d.name.endsWith('.csv'));

console.log('Leave-one-video-out (auto mode; flagged = hold or spam)');
console.log(TABLE_HEADER);
const pooled: Scored[] = [];
for (const video of videos) {
  const { model } = setupEvaluation([video]);
  const scored = scoreComments(model, video.comments);
  pooled.push(...scored);
  console.log(formatRow(video.name, summarize(scored)));
}
const leaveOneOut = summarize(pooled);
console.log(formatRow('pooled', leaveOneOut));

console.log(`\n70/30 within each video, stratified, mean of ${seeds} seeds`);
console.log(TABLE_HEADER);
const paperAll: Summary[] = [];
const siteAll: Summary[] = [];
for (const video of videos) {
  const paper: Summary[] = [];
  const site: Summary[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { train, test } = split(video.comments, seed);
    const testKeys = new Set(test.map((c) => normalizeBody(c.body)));
    const trainDeduped = train.filter((c) => !testKeys.has(normalizeBody(c.body)));
    const trainSet: Dataset = { name: `${video.name}#train`, sha256: `train-${seed}`, comments: trainDeduped };
    const testSet: Dataset = { name: `${video.name}#test`, sha256: video.sha256, comments: test };

    // "paper": nothing but this video's training part, like the TubeSpam experiments.
    const alone = trainModel(examplesOf([trainSet]));
    paper.push(summarize(scoreComments(alone, test)));
    // "site": the shipped model without this video, plus its training part learned as moderator decisions.
    const { model } = setupEvaluation([testSet], [trainSet]);
    site.push(summarize(scoreComments(model, test)));
  }
  paperAll.push(...paper);
  siteAll.push(...site);
  console.log(formatRow(`${video.name} paper`, meanSummary(paper)));
  console.log(formatRow(`${video.name} site`, meanSummary(site)));
}
console.log(formatRow('mean paper', meanSummary(paperAll)));
console.log(formatRow('mean site', meanSummary(siteAll)));
console.log();
console.log(JSON.stringify({ leaveOneVideoOut: leaveOneOut, paper7030: meanSummary(paperAll), site7030: meanSummary(siteAll) }));

/** Stratified split: 70 % of each class to training, in an order fixed by the seed. */
function split(comments: readonly LabeledComment[], seed: number): { train: LabeledComment[]; test: LabeledComment[] } {
  const random = mulberry32(seed);
  const train: LabeledComment[] = [];
  const test: LabeledComment[] = [];
  for (const label of ['spam', 'ham'] as const) {
    const group = comments.filter((c) => c.label === label);
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j] as LabeledComment, group[i] as LabeledComment];
    }
    const cut = Math.round(group.length * 0.7);
    train.push(...group.slice(0, cut));
    test.push(...group.slice(cut));
  }
  return { train, test };
}

/** A small seeded PRNG, so that a split can be reproduced exactly. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
