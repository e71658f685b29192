// The evaluation protocols on the shipped data, each on comments its model never saw:
//   1. leave-one-video-out: the model learns everything but one video (and every comment
//      whose text occurs in it) and is tested on that video;
//   2. leave-one-source-out: the same for every shipped source, including our German/English
//      seed set and the German tweets (how the stage does on a kind of text it never saw);
//   3. German false holds: GermEval 2018's tweets, never learned, scored by the shipped model
//      (ordinary German text: everything held or sent to spam is a false alarm);
//   4. optionally (--tubespam) the TubeSpam paper's 70/30 split within each video.
// `npm run spam:eval` with no --test runs these; the last line is one JSON object.

import { evaluationDatasets, examplesOf, shippedDatasets } from './base-model.js';
import { classifyComment } from './classify.js';
import type { Dataset, LabeledComment } from './dataset.js';
import {
  type Scored,
  type Summary,
  TABLE_HEADER,
  formatRow,
  meanSummary,
  scoreComments,
  setupEvaluation,
  summarize,
} from './evaluate.js';
import { trainModel } from './model.js';
import { normalizeBody } from './text.js';

/** Sentences a new German reader writes; the issue that asked for German support quotes them. */
export const FRIENDLY_GERMAN = [
  'Schöner Artikel, danke!',
  'Danke für den Text, der Gedanke mit den kleinen Fluchten aus dem Alltag gefällt mir sehr.',
  'Sehr interessant, das wusste ich nicht.',
  'Ich sehe das etwas anders, aber gut geschrieben.',
];

export function runProtocols(options: { tubespam?: boolean; seeds?: number } = {}): Record<string, unknown> {
  const shipped = shippedDatasets();
  const videos = shipped.filter((d) => d.name.endsWith('.csv'));
  const result: Record<string, unknown> = {};

  console.log('1. Leave-one-video-out (auto mode; flagged = hold or spam; held = share of all comments held)');
  console.log(TABLE_HEADER);
  const pooled: Scored[] = [];
  const perVideo: Record<string, Summary> = {};
  for (const video of videos) {
    const { model } = setupEvaluation([video]);
    const scored = scoreComments(model, video.comments);
    pooled.push(...scored);
    perVideo[video.name] = summarize(scored);
    console.log(formatRow(video.name, perVideo[video.name] as Summary));
  }
  result.leaveOneVideoOut = summarize(pooled);
  result.perVideo = perVideo;
  console.log(formatRow('pooled', result.leaveOneVideoOut as Summary));

  console.log('\n2. Leave-one-source-out (the model never saw the tested source)');
  console.log(TABLE_HEADER);
  const perSource: Record<string, Summary> = {};
  for (const source of shipped) {
    const { model } = setupEvaluation([source]);
    perSource[source.name] = summarize(scoreComments(model, source.comments));
    console.log(formatRow(source.name, perSource[source.name] as Summary));
  }
  result.leaveOneSourceOut = perSource;

  console.log('\n3. Ordinary German text: GermEval 2018 tweets (all ham; never learned), shipped model');
  console.log(TABLE_HEADER);
  for (const german of evaluationDatasets()) {
    const summary = summarize(scoreComments(setupEvaluation([german]).model, german.comments));
    console.log(formatRow(german.name, summary));
    result.germanFalseHold = { n: summary.n, held: summary.hamHeld, toSpam: summary.hamBlocked };
  }

  console.log('\n4. Friendly German comments (shipped model, new author, no context)');
  const { model } = setupEvaluation([]);
  const friendly = FRIENDLY_GERMAN.map((body) => {
    const verdict = classifyComment(
      { body, author: { name: 'Anna' }, receivedAt: 0 },
      { settings: {}, model, mode: 'auto' },
    );
    console.log(`  ${verdict.outcome.padEnd(8)} ${verdict.score.toFixed(2)}  ${body}`);
    return { body, outcome: verdict.outcome, score: Math.round(verdict.score * 1000) / 1000 };
  });
  result.friendlyGerman = friendly;

  if (options.tubespam) result.tubespam = tubespamProtocol(videos, options.seeds ?? 10);
  console.log();
  console.log(JSON.stringify(result));
  return result;
}

/** The TubeSpam paper's protocol: 70 % train / 30 % test within one video, stratified, several seeds. */
function tubespamProtocol(videos: readonly Dataset[], seeds: number): Record<string, Summary> {
  console.log(
    `\n5. 70/30 within each video, stratified, mean of ${seeds} seeds (paper = that video's 70 % alone; site = shipped model without the video + the 70 % as site lessons)`,
  );
  console.log(TABLE_HEADER);
  const paperAll: Summary[] = [];
  const siteAll: Summary[] = [];
  for (const video of videos) {
    const paper: Summary[] = [];
    const site: Summary[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const { train, test } = split(video.comments, seed);
      const testKeys = new Set(test.map((c) => normalizeBody(c.body)));
      const trainSet: Dataset = {
        name: `${video.name}#train`,
        sha256: `train-${seed}`,
        comments: train.filter((c) => !testKeys.has(normalizeBody(c.body))),
      };
      const testSet: Dataset = { name: `${video.name}#test`, sha256: video.sha256, comments: test };
      paper.push(summarize(scoreComments(trainModel(examplesOf([trainSet])), test)));
      site.push(summarize(scoreComments(setupEvaluation([testSet], [trainSet]).model, test)));
    }
    paperAll.push(...paper);
    siteAll.push(...site);
    console.log(formatRow(`${video.name} paper`, meanSummary(paper)));
    console.log(formatRow(`${video.name} site`, meanSummary(site)));
  }
  const out = { paper: meanSummary(paperAll), site: meanSummary(siteAll) };
  console.log(formatRow('mean paper', out.paper));
  console.log(formatRow('mean site', out.site));
  return out;
}

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
