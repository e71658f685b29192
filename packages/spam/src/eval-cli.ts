// npm run spam:eval                      the protocol tables on the shipped data (evaluate-protocols.ts)
// npm run spam:eval -- --tubespam [--seeds 10]   … plus the TubeSpam 70/30 protocol
// npm run spam:eval -- --test FILE [--test FILE…] [--train FILE…] [--mode auto|pre|post] [--show-errors]
// Prints tables and, as the last line, one JSON object with the figures.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from './dataset.js';
import { runProtocols } from './evaluate-protocols.js';
import { TABLE_HEADER, formatRow, scoreComments, setupEvaluation, summarize } from './evaluate.js';
import type { Mode } from './types.js';

const { values } = parseArgs({
  options: {
    test: { type: 'string', multiple: true },
    train: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'auto' },
    'show-errors': { type: 'boolean', default: false },
    tubespam: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '10' },
  },
});

if (!values.test?.length) {
  runProtocols({ tubespam: values.tubespam, seeds: Number(values.seeds) });
  process.exit(0);
}

const mode = values.mode as Mode;
if (!['auto', 'pre', 'post'].includes(mode)) {
  console.error(
    'usage: spam:eval [-- --tubespam] | spam:eval -- --test FILE [--test FILE…] [--train FILE…] [--mode auto|pre|post] [--show-errors]',
  );
  process.exit(2);
}

// `npm run spam:eval` runs in packages/spam; paths are meant relative to where npm was started.
const base = process.env.INIT_CWD ?? process.cwd();
const read = (file: string) => readDataset(resolve(base, file));
const tests = (values.test ?? []).map(read);
const train = (values.train ?? []).map(read);
const setup = setupEvaluation(tests, train);
console.log(
  `model: shipped data${setup.excludedFiles.length ? ` minus ${setup.excludedFiles.join(', ')}` : ''}, minus comments whose text is in the test data`,
);
if (train.length)
  console.log(
    `learned as site decisions: ${train.map((d) => d.name).join(', ')} (${setup.droppedTrain} comments dropped as duplicates of test text)`,
  );
console.log(`mode: ${mode}; binary figures count hold or spam as "flagged"\n`);
console.log(TABLE_HEADER);

const all = [];
for (const dataset of tests) {
  const scored = scoreComments(setup.model, dataset.comments, mode);
  all.push(...scored);
  console.log(formatRow(dataset.name, summarize(scored)));
}
const summary = summarize(all);
if (tests.length > 1) console.log(formatRow('all', summary));

if (values['show-errors']) {
  for (const s of all) {
    const wrong =
      (s.comment.label === 'ham' && s.outcome === 'spam') || (s.comment.label === 'spam' && s.outcome === 'approve');
    if (wrong)
      console.log(
        `${s.comment.label}→${s.outcome} ${s.score.toFixed(2)} ${s.comment.body.slice(0, 100).replace(/\s+/g, ' ')}`,
      );
  }
}
console.log();
console.log(JSON.stringify(summary));
