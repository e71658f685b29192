// Throughput of the pure stage (all checks + classifier) on one core.
// npx tsx bench.ts [--seconds 3]

import { parseArgs } from 'node:util';
import { type CommentCandidate, classifyComment, loadBaseModel, shippedDatasets } from './src/index.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);

const loadStart = performance.now();
const model = loadBaseModel();
const loadMs = performance.now() - loadStart;

// The shipped comments plus some German ones, with author fields and timestamps so every check runs.
const comments: CommentCandidate[] = shippedDatasets().flatMap((d) =>
  d.comments.map((c, i) => ({
    body: c.body,
    author: {
      name: c.author.name,
      email: `user${i}@example.org`,
      url: i % 5 === 0 ? `https://blog${i}.example.de/` : null,
    },
    renderedAt: 1_000,
    receivedAt: 1_000 + 20_000 + i,
  })),
);
comments.push({
  body: 'Danke für den Artikel! Die Übersicht über die Grundsteuerreform ist sehr hilfreich.',
  author: { name: 'Jörg' },
  receivedAt: 1,
});
const settings = { bannedWords: ['viagra', 'casino*'], suspectWords: ['kredit', 'bitcoin'], maxLinks: 2 };
const context = {
  authorHistory: { approved: 1, spam: 0, rejected: 0 },
  recentDuplicates: 0,
  burst: { sameIp: 1, sameEmail: 1 },
};

// Warm up the JIT before measuring.
for (const c of comments) classifyComment(c, { settings, model, mode: 'auto', context });

let done = 0;
const cpuStart = process.cpuUsage();
const start = performance.now();
const end = start + seconds * 1000;
while (performance.now() < end) {
  for (const c of comments) classifyComment(c, { settings, model, mode: 'auto', context });
  done += comments.length;
}
const elapsed = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
// CPU seconds of this process: on a machine shared with other work, wall time undercounts a core.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const avgLength = Math.round(comments.reduce((s, c) => s + c.body.length, 0) / comments.length);
console.log(`base model load: ${loadMs.toFixed(0)} ms (first call, cold)`);
console.log(`${done} comments in ${elapsed.toFixed(2)} s (average body ${avgLength} chars)`);
console.log(
  `${Math.round(done / elapsed)} comments/second wall clock; ${Math.round(done / cpuSeconds)} comments per CPU-second (${cpuSeconds.toFixed(2)} s CPU)`,
);
