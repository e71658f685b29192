// The whole stack at a fixed offered rate: ingest accepts, the worker decides
// and writes, sampled once a second (queue lag, rows written), with the RSS
// of every service before and after.
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { fire, rssMb, sleep } from './tools.js';

export interface StackResult {
  seconds: number;
  acceptedPerSecond: number;
  decidedPerSecond: number;
  p99: number;
  fiveXx: number;
  bad: number;
  /** Jobs waiting in the comments queue, sampled every second. */
  lagSamples: number[];
  lagStart: number;
  lagEnd: number;
  /** At the end, less than one second of offered traffic was waiting. */
  lagFlat: boolean;
  rssBefore: Record<string, number>;
  rssAfter: Record<string, number>;
}

export async function runStack(input: {
  ingestUrl: string;
  siteId: string;
  rate: number;
  seconds: number;
  connections: number;
  db: pg.Client;
  queue: Queue;
  pids: Record<string, number>;
}): Promise<StackResult> {
  const rss = () => Object.fromEntries(Object.entries(input.pids).map(([name, pid]) => [name, rssMb(pid)]));
  const rows = async () =>
    Number((await input.db.query('select count(*) from comments where site_id = $1', [input.siteId])).rows[0].count);
  const waiting = async () => {
    const c = await input.queue.getJobCounts('wait', 'prioritized', 'paused');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };
  const rssBefore = rss();
  const rowsBefore = await rows();
  let n = 0;
  const bodies = [
    'Heute Mittag ohne Handy im Park gesessen und den Enten zugeschaut. ',
    'Gestern Abend am See, die Sonne ging unter und niemand schaute aufs Telefon. ',
  ];
  // Unique text per comment (as real readers write), ~500 B like the widget's POST.
  const request = {
    method: 'POST',
    path: `/v1/sites/${input.siteId}/comments`,
    headers: { 'content-type': 'application/json' },
    setupRequest(req: { body?: string }) {
      const i = n++;
      req.body = JSON.stringify({
        thread: { key: `/load/${i % 200}`, url: `https://blog.example/load/${i % 200}`, title: 'Last' },
        author: { name: `Leserin ${i % 5000}`, email: i % 4 ? null : `leserin${i % 5000}@example.org` },
        body: `${bodies[i % 2]!.repeat(5).trim()} (${i})`,
        hp: '',
        renderedAt: Date.now() - 30_000,
      });
      return req;
    },
  };
  const lagSamples: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lagSamples.push(await waiting());
      await sleep(1000);
    }
  })();
  const shot = await fire({
    url: input.ingestUrl,
    connections: input.connections,
    duration: input.seconds,
    overallRate: input.rate,
    requests: [request],
  });
  const decided = (await rows()) - rowsBefore;
  sampling = false;
  await sampler;
  const lagEnd = await waiting();
  const rssAfter = rss();
  // What the worker did not reach in time is bench traffic: removed, so the next scenario starts from an empty queue.
  await input.queue.drain();
  const deadline = Date.now() + 30_000;
  while ((await input.queue.getActiveCount()) > 0 && Date.now() < deadline) await sleep(200);
  const fiveXx = Object.entries(shot.codes)
    .filter(([code]) => code.startsWith('5'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    seconds: input.seconds,
    acceptedPerSecond: (shot.codes['202'] ?? 0) / shot.duration,
    decidedPerSecond: decided / shot.duration,
    p99: shot.p99,
    fiveXx,
    bad: shot.bad,
    lagSamples,
    lagStart: lagSamples[1] ?? lagSamples[0] ?? 0,
    lagEnd,
    lagFlat: lagEnd < input.rate,
    rssBefore,
    rssAfter,
  };
}
