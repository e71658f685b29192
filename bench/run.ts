// npm run bench: the real services against their ceilings, side by side.
//
// Starts ingest, worker and api (real processes, scratch database, own Redis
// prefix), a bare-Hono baseline process (echo, and one BullMQ add) and a
// no-op BullMQ worker, runs every scenario against its baseline in
// alternation over several rounds, then the whole stack at a fixed offered
// rate, and prints the goals table. Absolute numbers depend on the machine
// and what else runs on it; the ratios are the result. Traffic goes only to
// 127.0.0.1. Options (all optional):
//   npm run bench -- --runs 3 --duration 3 --connections 64 --concurrency 100 --drain-jobs 2000
//                    --history 100000 --rate 1500 --sustain 60 --latency-n 50
//                    --only ingest,reads,worker,history,latency,stack --json FILE --profile DIR
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '@stammtisch/db';
import { COMMENT_JOB_OPTIONS, type CommentJob, JOB_NAMES } from '@stammtisch/contract';
import { COMMENTS_QUEUE, createProducerConnection } from '@stammtisch/queue';
import { type RunningService, deleteKeys, startService } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { measurePostToVisible } from './latency.js';
import { summarizeProfile } from './profile-summary.js';
import { runStack } from './stack.js';
import {
  type Child,
  ROOT,
  fire,
  log,
  median,
  seedHistory,
  seedThreads,
  sleep,
  startChild,
  unexpected,
} from './tools.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    threads: { type: 'string', default: '500' },
    'per-thread': { type: 'string', default: '20' },
    'drain-jobs': { type: 'string', default: '2000' },
    'latency-n': { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '100' },
    history: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '1500' },
    sustain: { type: 'string', default: '60' },
    only: { type: 'string', default: 'ingest,reads,worker,history,latency,stack' },
    json: { type: 'string' },
    /** Write V8 CPU profiles of ingest, worker and api to this folder and print where their time went. */
    profile: { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const THREADS = Number(args.threads);
const PER_THREAD = Number(args['per-thread']);
const DRAIN_JOBS = Number(args['drain-jobs']);
const LATENCY_N = Number(args['latency-n']);
const CONCURRENCY = String(args.concurrency);
const HISTORY = Number(args.history);
const RATE = Number(args.rate);
const SUSTAIN = Number(args.sustain);
const ONLY = new Set(args.only.split(','));

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const database = `stammtisch_bench_${process.pid}`;
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${database}`;
const prefix = `bench${process.pid}`;
const adminKey = 'bench-admin-key-0123456789abcdef';
const PROXY_IP = 'bench-proxy-ip-hash';
const env = {
  DATABASE_URL: databaseUrl.toString(),
  REDIS_URL: redisUrl,
  REDIS_PREFIX: prefix,
  ADMIN_KEY: adminKey,
  // The rate limit stays on (its Redis round trip is part of the real path) but is never reached.
  RATE_LIMIT_PER_MINUTE: '1000000000',
  SITE_RATE_LIMIT_PER_MINUTE: '1000000000',
  WORKER_CONCURRENCY: CONCURRENCY,
  LOG_LEVEL: 'warn',
  ...(args.profile && {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${path.join(ROOT, 'bench/cpu-profiler.mjs')}`.trim(),
    BENCH_PROFILE_DIR: path.resolve(args.profile),
  }),
};
const shot = { connections: CONNECTIONS, duration: DURATION };

const tmp = mkdtempSync(path.join(tmpdir(), 'stammtisch-bench-'));
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const children: Array<RunningService | Child> = [];
const redis = createProducerConnection(redisUrl, { enableOfflineQueue: true });
const queues: Queue[] = [];
let db: pg.Client | undefined;
const series: Record<string, number[]> = {};
const push = (name: string, value: number) => (series[name] ??= []).push(value);
const m = (name: string) => median(series[name] ?? []);
let stack: Awaited<ReturnType<typeof runStack>> | undefined;
let latency: Awaited<ReturnType<typeof measurePostToVisible>> | undefined;
let loadedLatency: (Awaited<ReturnType<typeof measurePostToVisible>> & { rate: number }) | undefined;
let bad = 0;
let batches: { count: number; mean: number } | undefined;
const stages: Record<string, number> = {};

try {
  log(`scratch database ${database}, Redis prefix ${prefix}`);
  await migrateToLatest(env.DATABASE_URL);
  db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  // One at a time, each registered at once, so a failed start still stops the others.
  const started = async (name: 'ingest' | 'worker' | 'api') => {
    const service = await startService(name, env, { timeoutMs: 180_000 });
    children.push(service);
    return service;
  };
  const ingest = await started('ingest');
  const api = await started('api');
  const worker = await started('worker');
  const noop = await startChild(
    'bench/noop-worker.ts',
    { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, BENCH_QUEUE: 'bench-noop', WORKER_CONCURRENCY: CONCURRENCY },
    'stdout',
  );
  children.push(noop);
  const queue = (name: string) => {
    const q = new Queue(name, { connection: redis, prefix });
    queues.push(q);
    return q;
  };
  const commentsQueue = queue(COMMENTS_QUEUE);
  const noopQueue = queue('bench-noop');
  const addQueue = queue('bench-add');

  for (const [id, moderation] of [
    ['bench', 'post'],
    ['load', 'post'],
    ['drain', 'auto'],
    ['fresh', 'auto'],
    ['history', 'auto'],
  ]) {
    const res = await fetch(`${api.url}/v1/admin/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, name: id, origins: ['*'], moderation }),
    });
    if (res.status !== 201) throw new Error(`creating site ${id}: ${res.status} ${await res.text()}`);
  }

  if (ONLY.has('reads')) {
    log(`seeding ${THREADS} threads × ${PER_THREAD} approved comments`);
    await seedThreads(db, 'bench', '/t/', THREADS, PER_THREAD);
  }
  if (ONLY.has('history')) {
    log(`seeding ${HISTORY} earlier comments from one address on site "history"`);
    await seedHistory(db, 'history', PROXY_IP, 'stammgast@example.org', HISTORY);
  }
  await db.query('analyze comments; analyze threads');

  const threadPath = (key: string, query = '') => `/v1/sites/bench/threads/${encodeURIComponent(key)}/comments${query}`;
  const hot = await fetch(`${api.url}${threadPath('/t/0')}`);
  const hotBody = await hot.text();
  const hotEtag = hot.headers.get('etag') ?? '';
  writeFileSync(path.join(tmp, 'thread.json'), hotBody);
  const baseline = await startChild(
    'bench/baseline-server.ts',
    {
      BENCH_JSON_FILE: path.join(tmp, 'thread.json'),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      BENCH_QUEUE: 'bench-add',
    },
    'http',
  );
  children.push(baseline);

  // A ~500 B comment, as the widget sends it.
  const postBody = JSON.stringify({
    thread: { key: '/t/ingest', url: 'https://blog.example/t/ingest', title: 'Ingest' },
    author: { name: 'Anna Beispiel', email: 'anna@example.org' },
    body: 'Heute Mittag ohne Handy im Park gesessen und den Enten zugeschaut. '.repeat(5).trim(),
    hp: '',
    renderedAt: Date.now(),
  });
  const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: postBody };
  const countsPath = `/v1/sites/bench/counts?${Array.from({ length: 100 }, (_, i) => `thread=${encodeURIComponent(`/t/${i}`)}`).join('&')}`;
  let coldCounter = 0;
  const coldRequest = {
    method: 'GET',
    setupRequest(request: { path?: string }) {
      const i = coldCounter++;
      const limit = Math.min(200, PER_THREAD) + (Math.floor(i / THREADS) % (201 - Math.min(200, PER_THREAD)));
      const sort = Math.floor(i / (THREADS * 181)) % 2 ? 'newest' : 'oldest';
      request.path = threadPath(`/t/${i % THREADS}`, `?limit=${limit}&sort=${sort}`);
      return request;
    },
  };

  // The worker must not compete with the HTTP scenarios for the CPU: queues stay paused except while drained.
  await commentsQueue.pause();
  await noopQueue.pause();
  await addQueue.pause();

  const queuedJobs = async (q: Queue) => {
    const c = await q.getJobCounts('wait', 'active', 'paused', 'prioritized', 'delayed');
    return Object.values(c).reduce((a, b) => a + b, 0);
  };
  async function ingestShot(options: Record<string, unknown> = {}) {
    const result = await fire({ url: `${ingest.url}/v1/sites/bench/comments`, ...post, ...shot, ...options });
    // Every 202 is a job in Redis (more jobs than 202s is fine: requests in flight at the end are not counted).
    if ((await queuedJobs(commentsQueue)) < (result.codes['202'] ?? 0)) push('ingestLost', 1);
    await commentsQueue.drain();
    return result;
  }
  async function addShot() {
    const result = await fire({ url: `${baseline.url}/add`, ...post, ...shot });
    await addQueue.drain();
    return result;
  }

  function drainJobs(
    siteId: string,
    n: number,
    round: number,
    ipHash?: string,
  ): Array<{ name: string; data: CommentJob; opts: Record<string, unknown> }> {
    return Array.from({ length: n }, (_, i) => {
      const id = uuidv7();
      return {
        name: JOB_NAMES.comment,
        data: {
          id,
          siteId,
          thread: { key: `/drain/${i % 50}`, url: null, title: null },
          parentId: null,
          author: {
            name: `Leser ${i}`,
            email: ipHash ? 'stammgast@example.org' : i % 3 ? null : `leser${i}@example.org`,
            url: null,
          },
          body: `Runde ${round}, Kommentar ${i}: ein gewöhnlicher Beitrag über kleine Fluchten im Alltag, ${randomUUID().slice(0, 8)}.`,
          honeypot: null,
          renderedAt: Date.now() - 30_000,
          receivedAt: Date.now(),
          ipHash: ipHash ?? `ip${i % 200}`,
          userAgent: 'bench',
        },
        opts: { ...COMMENT_JOB_OPTIONS, jobId: id },
      };
    });
  }

  /** Jobs per second from resume until the queue is empty (the same measure for the no-op and the real worker). */
  async function drain(q: Queue, jobs: ReturnType<typeof drainJobs>): Promise<number> {
    for (let i = 0; i < jobs.length; i += 1000) await q.addBulk(jobs.slice(i, i + 1000));
    const startedAt = performance.now();
    await q.resume();
    const deadline = Date.now() + 180_000;
    while ((await queuedJobs(q)) > 0) {
      if (Date.now() > deadline) throw new Error(`${q.name} did not drain ${jobs.length} jobs in 180 s`);
      await sleep(10);
    }
    const rate = jobs.length / ((performance.now() - startedAt) / 1000);
    await q.pause();
    return rate;
  }
  const countRows = async (siteId: string) =>
    Number((await db!.query('select count(*) from comments where site_id = $1', [siteId])).rows[0].count);
  async function workerDrain(siteId: string, round: number, ipHash?: string): Promise<number> {
    const before = await countRows(siteId);
    const rate = await drain(commentsQueue, drainJobs(siteId, DRAIN_JOBS, round, ipHash));
    const written = (await countRows(siteId)) - before;
    if (written !== DRAIN_JOBS)
      throw new Error(`worker drained ${DRAIN_JOBS} jobs on ${siteId} but wrote ${written} rows`);
    return rate;
  }

  log('warming up');
  if (ONLY.has('ingest')) {
    await fire({ url: `${baseline.url}/post`, ...post, ...shot, duration: 1 });
    await ingestShot({ duration: 1 });
  }
  if (ONLY.has('worker') || ONLY.has('history')) {
    await workerDrain('drain', -1);
    await drain(noopQueue, drainJobs('drain', DRAIN_JOBS, -1));
  }

  for (let round = 0; round < RUNS; round++) {
    log(`round ${round + 1}/${RUNS}`);
    // Alternate which side goes first so drift on a busy machine hits both alike.
    const flip = round % 2 === 1;
    const pair = async <A, B>(a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> => {
      if (!flip) {
        const x = await a();
        return [x, await b()];
      }
      const y = await b();
      return [await a(), y];
    };
    if (ONLY.has('ingest')) {
      const [bare, ing] = await pair(addShot, () => ingestShot());
      const echo = await fire({ url: `${baseline.url}/post`, ...post, ...shot });
      push('bareAdd', bare.rps);
      push('echo', echo.rps);
      push('ingest', ing.rps);
      push('ingestP99', ing.p99);
      push('ingestRatio', ing.rps / bare.rps);
      push('ingestEchoRatio', ing.rps / echo.rps);
      bad += ing.bad + bare.bad + echo.bad;
    }
    if (ONLY.has('reads')) {
      const [baseGet, cached] = await pair(
        () => fire({ url: `${baseline.url}/json`, ...shot }),
        () => fire({ url: `${api.url}${threadPath('/t/0')}`, ...shot }),
      );
      const notModified = await fire(
        { url: `${api.url}${threadPath('/t/0')}`, headers: { 'if-none-match': hotEtag }, ...shot },
        (c) => c === 304,
      );
      const cold = await fire({ url: api.url, requests: [coldRequest], ...shot });
      const counts = await fire({ url: `${api.url}${countsPath}`, ...shot });
      push('baseGet', baseGet.rps);
      push('cachedRatio', cached.rps / baseGet.rps);
      push('cached', cached.rps);
      push('notModified', notModified.rps);
      push('cold', cold.rps);
      push('counts', counts.rps);
      bad += cached.bad + notModified.bad + cold.bad + counts.bad;
    }
    if (ONLY.has('worker')) {
      const [noopRate, workerRate] = await pair(
        () => drain(noopQueue, drainJobs('drain', DRAIN_JOBS, round)),
        () => workerDrain('drain', round),
      );
      push('noop', noopRate);
      push('worker', workerRate);
      push('workerRatio', workerRate / noopRate);
    }
    if (ONLY.has('history')) {
      // The same address and email on both sites; only "history" has 100k earlier comments from it.
      const [fresh, old] = await pair(
        () => workerDrain('fresh', round, PROXY_IP),
        () => workerDrain('history', round, PROXY_IP),
      );
      push('fresh', fresh);
      push('history', old);
      push('historyRatio', old / fresh);
    }
  }

  if (ONLY.has('ingest')) {
    log('ingest at 70% of its measured maximum');
    const target = Math.max(1, Math.round(0.7 * m('ingest')));
    for (let round = 0; round < RUNS; round++) {
      const paced = await ingestShot({ overallRate: target });
      push('pacedP99', paced.p99);
      push('pacedTarget', target);
      bad += paced.bad;
    }
  }
  if (ONLY.has('reads')) {
    log(`growing the database tenfold (${9 * THREADS * PER_THREAD} more comments in other threads)`);
    await seedThreads(db, 'bench', '/filler/', 9 * THREADS, PER_THREAD, true);
    await db.query('analyze comments; analyze threads');
    for (let round = 0; round < RUNS; round++)
      push('cold10', (await fire({ url: api.url, requests: [coldRequest], ...shot })).rps);
  }

  await commentsQueue.resume();
  if (ONLY.has('latency')) {
    log(`POST → visible over ${LATENCY_N} comments, unloaded`);
    try {
      latency = await measurePostToVisible({
        ingestUrl: ingest.url,
        apiUrl: api.url,
        siteId: 'bench',
        threadKey: '/latency',
        n: LATENCY_N,
      });
    } catch (error) {
      log(`POST → visible failed: ${(error as Error).message}`);
    }
  }
  const services = { ingest: ingest.process.pid!, worker: worker.process.pid!, api: api.process.pid! };
  if (ONLY.has('latency')) {
    // 70% of the most the stack can take: the slower of ingest and the worker (or of --rate, if neither ran).
    const max = Math.min(m('ingest') || Number.POSITIVE_INFINITY, m('worker') || Number.POSITIVE_INFINITY);
    const rate = Math.max(1, Math.round(0.7 * (Number.isFinite(max) ? max : RATE)));
    log(`POST → visible over ${LATENCY_N} comments at ${rate} comments/s of other load`);
    const load = runStack({
      ingestUrl: ingest.url,
      siteId: 'load',
      rate,
      seconds: Math.max(10, 2 * DURATION),
      connections: CONNECTIONS,
      db,
      queue: commentsQueue,
      pids: services,
    });
    await sleep(1000);
    try {
      const measured = await measurePostToVisible({
        ingestUrl: ingest.url,
        apiUrl: api.url,
        siteId: 'bench',
        threadKey: '/latency-loaded',
        n: LATENCY_N,
      });
      loadedLatency = { ...measured, rate };
    } catch (error) {
      log(`POST → visible under load failed: ${(error as Error).message}`);
      loadedLatency = { n: 0, medianMs: Number.NaN, p90Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN, rate };
    }
    bad += (await load).bad;
  }
  if (ONLY.has('stack')) {
    log(`whole stack: ${RATE} comments/s offered for ${SUSTAIN} s`);
    stack = await runStack({
      ingestUrl: ingest.url,
      siteId: 'load',
      rate: RATE,
      seconds: SUSTAIN,
      connections: CONNECTIONS,
      db,
      queue: commentsQueue,
      pids: services,
    });
    bad += stack.bad;
  }

  // How the worker grouped its jobs over the whole run (group commit at work).
  const metrics = await fetch(`${worker.url}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const metric = (name: string) =>
    Number(new RegExp(`^\\w*${name}(?:\\{[^}]*\\})? ([\\d.e+]+)$`, 'm').exec(metrics)?.[1]);
  batches = {
    count: metric('comment_batch_size_count'),
    mean: metric('comment_batch_size_sum') / metric('comment_batch_size_count'),
  };
  for (const stage of ['context', 'decide', 'insert', 'hooks']) {
    const sum = Number(
      new RegExp(`comment_batch_stage_seconds_sum\\{[^}]*stage="${stage}"[^}]*\\} ([\\d.e+-]+)`).exec(metrics)?.[1],
    );
    stages[stage] = (1000 * sum) / batches.count;
  }
  printTable();
  if (args.json)
    writeFileSync(
      args.json,
      `${JSON.stringify({ options: args, series, stack, latency, loadedLatency, bad, unexpected }, null, 2)}\n`,
    );
} finally {
  await Promise.allSettled(queues.map((q) => q.close()));
  await Promise.allSettled(children.map((c) => c.stop()));
  await db?.end().catch(() => {});
  await deleteKeys(redis, `${prefix}:*`).catch(() => {});
  redis.disconnect();
  await admin.query(`drop database if exists "${database}" with (force)`).catch(() => {});
  await admin.end();
  rmSync(tmp, { recursive: true, force: true });
}

if (args.profile) {
  // The services wrote their profiles on exit (SIGTERM → process.exit), one file per process.
  const dir = path.resolve(args.profile);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    try {
      console.log(`\n${summarizeProfile(path.join(dir, file))}`);
    } catch (error) {
      console.log(`${file}: ${(error as Error).message}`);
    }
  }
}

function printTable(): void {
  const f0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
  const f2 = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
  const ms = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${x.toFixed(1)} ms` : '–');
  const met = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'yes' : 'NO');
  type Row = [string, string, string, string, string, string];
  const rows: Row[] = [];
  if (ONLY.has('ingest'))
    rows.push(
      ['bare Hono POST + one BullMQ add (baseline)', f0(m('bareAdd')), '', '', '', ''],
      ['bare Hono echo POST (baseline)', f0(m('echo')), '', '', '', ''],
      [
        'ingest POST → 202, queued',
        f0(m('ingest')),
        f2(m('ingestRatio')),
        ms(m('ingestP99')),
        '≥ 0.80× POST + add',
        met(m('ingestRatio') >= 0.8),
      ],
      ['ingest vs bare echo', '', f2(m('ingestEchoRatio')), '', '', ''],
      [`ingest at 70% (${f0(m('pacedTarget'))}/s)`, '', '', ms(m('pacedP99')), 'p99 < 50 ms', met(m('pacedP99') < 50)],
    );
  if (ONLY.has('reads'))
    rows.push(
      ['bare Hono GET same JSON (baseline)', f0(m('baseGet')), '', '', '', ''],
      ['thread read, cached', f0(m('cached')), f2(m('cachedRatio')), '', '≥ 0.80× GET', met(m('cachedRatio') >= 0.8)],
      ['thread read, 304', f0(m('notModified')), '', '', '> cached', met(m('notModified') > m('cached'))],
      [`thread read, cold (${f0(THREADS * PER_THREAD)} rows)`, f0(m('cold')), '', '', '', ''],
      [
        `thread read, cold (${f0(10 * THREADS * PER_THREAD)} rows)`,
        f0(m('cold10')),
        f2(m('cold10') / m('cold')),
        '',
        '≥ 0.80× cold at 1×',
        met(m('cold10') / m('cold') >= 0.8),
      ],
      ['counts, 100 threads, one query', f0(m('counts')), '', '', '', ''],
    );
  if (ONLY.has('worker'))
    rows.push(
      [`no-op BullMQ worker, concurrency ${CONCURRENCY} (baseline)`, f0(m('noop')), '', '', '', ''],
      [
        'worker: decided and written',
        f0(m('worker')),
        f2(m('workerRatio')),
        '',
        '≥ 0.60× no-op',
        met(m('workerRatio') >= 0.6),
      ],
    );
  if (ONLY.has('history'))
    rows.push(
      ['worker, fresh site, one address (baseline)', f0(m('fresh')), '', '', '', ''],
      [
        `worker, ${f0(HISTORY)} earlier comments from that address`,
        f0(m('history')),
        f2(m('historyRatio')),
        '',
        '≥ 0.90× fresh',
        met(m('historyRatio') >= 0.9),
      ],
    );
  if (stack) {
    const s = stack;
    rows.push(
      [
        `whole stack at ${f0(RATE)}/s offered, ${s.seconds} s: accepted`,
        f0(s.acceptedPerSecond),
        '',
        ms(s.p99),
        '≥ 1,500/s, no 5xx',
        met(s.acceptedPerSecond >= 1500 && s.fiveXx === 0),
      ],
      [
        'whole stack: decided and written',
        f0(s.decidedPerSecond),
        '',
        `lag ${f0(s.lagStart)} → ${f0(s.lagEnd)} jobs`,
        '≥ 1,500/s, lag flat',
        met(s.decidedPerSecond >= 1500 && s.lagFlat),
      ],
    );
  }
  if (latency)
    rows.push([
      `POST → visible, unloaded (n=${latency.n})`,
      '',
      '',
      `p50 ${ms(latency.medianMs)}, p99 ${ms(latency.p99Ms)}`,
      'median < 15 ms',
      met(latency.medianMs < 15),
    ]);
  if (loadedLatency)
    rows.push([
      `POST → visible at 70% of max (${f0(loadedLatency.rate)}/s offered)`,
      '',
      '',
      `p50 ${ms(loadedLatency.medianMs)}, p99 ${ms(loadedLatency.p99Ms)}`,
      'p99 < 250 ms',
      met(loadedLatency.p99Ms < 250),
    ]);
  const header = ['scenario', 'per s (median)', 'ratio', 'latency', 'goal', 'met'] as const;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  console.log('');
  console.log(
    `Stammtisch bench: ${RUNS} rounds × ${DURATION} s, ${CONNECTIONS} connections, worker concurrency ${CONCURRENCY}, ${DRAIN_JOBS} jobs per drain, Node ${process.version}`,
  );
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (i === 1 || i === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
  );
  for (const row of rows) console.log(line(row));
  console.log('');
  if (stack) {
    const rss = Object.entries(stack.rssBefore).map(
      ([name, before]) => `${name} ${before.toFixed(0)} → ${stack!.rssAfter[name]!.toFixed(0)} MB`,
    );
    console.log(
      `RSS before → after the stack run: ${rss.join(', ')}; 5xx: ${stack.fiveXx}; lag samples (jobs waiting, 1 s apart): ${stack.lagSamples.join(' ')}`,
    );
  }
  if (batches?.count)
    console.log(
      `worker batches: ${batches.count}, ${batches.mean.toFixed(1)} comments each on average; ms per batch: ${Object.entries(
        stages,
      )
        .map(([stage, ms]) => `${stage} ${ms.toFixed(1)}`)
        .join(', ')}`,
    );
  console.log(
    `every 202 durably queued: ${series.ingestLost ? 'NO' : 'yes'}; failed or unexpected answers: ${bad} ${JSON.stringify(unexpected)}`,
  );
  console.log('ratios are medians of per-round ratios (subject and baseline measured back to back); per-round values:');
  for (const name of ['ingestRatio', 'ingestEchoRatio', 'cachedRatio', 'workerRatio', 'historyRatio'])
    if (series[name]) console.log(`  ${name}: ${series[name]!.map((x) => x.toFixed(2)).join(', ')}`);
}
