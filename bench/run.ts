// npm run bench: the real services against their ceilings, side by side.
//
// Starts ingest, worker and api (real processes, scratch database, own Redis
// prefix), a bare-Hono baseline process and a no-op BullMQ worker process,
// then runs every scenario against its baseline in alternation, several
// rounds, and prints medians and the per-round ratios. Absolute numbers
// depend on the machine and what else runs on it; the ratios are the result.
// Traffic goes only to 127.0.0.1. Options (all optional):
//   npm run bench -- --runs 3 --duration 3 --connections 64 --threads 500 --per-thread 20
//                    --drain-jobs 2000 --latency-n 50 --json bench-result.json
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '@stammtisch/db';
import { COMMENTS_QUEUE, COMMENT_JOB_OPTIONS, type CommentJob, JOB_NAMES, createProducerConnection } from '@stammtisch/queue';
import { type RunningService, deleteKeys, freePort, startService } from '@stammtisch/testkit';
import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';
import { Queue } from 'bullmq';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { measurePostToVisible } from './latency.js';
import { summarizeProfile } from './profile-summary.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    threads: { type: 'string', default: '500' },
    'per-thread': { type: 'string', default: '20' },
    'drain-jobs': { type: 'string', default: '2000' },
    'latency-n': { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '20' },
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

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const database = `stammtisch_bench_${process.pid}`;
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${database}`;
const prefix = `bench${process.pid}`;
const adminKey = 'bench-admin-key-0123456789abcdef';
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

// ---------------------------------------------------------------- helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

interface Child {
  url: string;
  stop: () => Promise<void>;
}

/** Starts `node --import tsx <file>` and waits for GET /healthz (servers) or a "ready" line (workers). */
async function startChild(file: string, childEnv: Record<string, string>, readiness: 'http' | 'stdout'): Promise<Child> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, ...childEnv, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${file} exited early:\n${output}`);
    if (readiness === 'stdout' && output.includes('ready')) break;
    if (readiness === 'http') {
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${file} did not start:\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Shot {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  bad: number;
  codes: Record<string, number>;
}

/** Answers no scenario expected, by status (and connection errors, timeouts), over the whole run. */
const unexpected: Record<string, number> = {};

async function fire(options: AutocannonOptions, okStatus: (code: number) => boolean = (c) => c >= 200 && c < 300): Promise<Shot> {
  const result: AutocannonResult = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
  const codes: Record<string, number> = {};
  let ok = 0;
  let bad = result.errors + result.timeouts;
  if (result.errors) unexpected.errors = (unexpected.errors ?? 0) + result.errors;
  if (result.timeouts) unexpected.timeouts = (unexpected.timeouts ?? 0) + result.timeouts;
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    codes[code] = count;
    if (okStatus(Number(code))) ok += count;
    else {
      bad += count;
      unexpected[code] = (unexpected[code] ?? 0) + count;
    }
  }
  return { rps: ok / result.duration, p50: result.latency.p50, p99: result.latency.p99, ok, bad, codes };
}

// ---------------------------------------------------------------- setup

const tmp = mkdtempSync(path.join(tmpdir(), 'stammtisch-bench-'));
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const children: Array<RunningService | Child> = [];
const redis = createProducerConnection(redisUrl, { enableOfflineQueue: true });
let db: pg.Client | undefined;
let commentsQueue: Queue | undefined;
let noopQueue: Queue | undefined;

try {
  log(`scratch database ${database}, Redis prefix ${prefix}`);
  await migrateToLatest(env.DATABASE_URL);
  db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  // One at a time, each registered at once, so a failed start still stops the others; a
  // generous timeout because the worker trains the shipped model first and the machine may be busy.
  const started = async (name: 'ingest' | 'worker' | 'api') => {
    const service = await startService(name, env, { timeoutMs: 180_000 });
    children.push(service);
    return service;
  };
  const ingest = await started('ingest');
  const api = await started('api');
  await started('worker');
  const noop = await startChild(
    'bench/noop-worker.ts',
    { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, BENCH_QUEUE: 'bench-noop', WORKER_CONCURRENCY: CONCURRENCY },
    'stdout',
  );
  children.push(noop);
  commentsQueue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix });
  noopQueue = new Queue('bench-noop', { connection: redis, prefix });

  for (const site of [
    { id: 'bench', name: 'Bench', origins: ['*'], moderation: 'post' },
    { id: 'drain', name: 'Drain', origins: ['*'], moderation: 'auto' },
  ]) {
    const res = await fetch(`${api.url}/v1/admin/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(site),
    });
    if (res.status !== 201) throw new Error(`creating site ${site.id}: ${res.status} ${await res.text()}`);
  }

  log(`seeding ${THREADS} threads × ${PER_THREAD} approved comments`);
  await seedThreads(db, 'bench', '/t/', THREADS, PER_THREAD);
  // Fresh statistics, as after the bigger seed below, so both cold-read sizes get the planner's best.
  await db.query('analyze comments; analyze threads');

  const threadPath = (key: string, query = '') => `/v1/sites/bench/threads/${encodeURIComponent(key)}/comments${query}`;
  const hot = await fetch(`${api.url}${threadPath('/t/0')}`);
  const hotBody = await hot.text();
  const hotEtag = hot.headers.get('etag') ?? '';
  writeFileSync(path.join(tmp, 'thread.json'), hotBody);
  const baseline = await startChild('bench/baseline-server.ts', { BENCH_JSON_FILE: path.join(tmp, 'thread.json') }, 'http');
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

  // Every cold read asks for a (thread, limit, sort) the cache has not seen: all threads
  // hold PER_THREAD comments, so any limit ≥ PER_THREAD gives the same answer size.
  let coldCounter = 0;
  const coldRequest = {
    method: 'GET',
    setupRequest(request: { path?: string }) {
      const i = coldCounter++;
      const thread = i % THREADS;
      const limit = Math.min(200, PER_THREAD) + (Math.floor(i / THREADS) % (201 - Math.min(200, PER_THREAD)));
      const sort = Math.floor(i / (THREADS * 181)) % 2 ? 'newest' : 'oldest';
      request.path = threadPath(`/t/${thread}`, `?limit=${limit}&sort=${sort}`);
      return request;
    },
  };

  // The worker must not compete with the HTTP scenarios for the CPU: the queue
  // stays paused except while the worker's drain rate is measured.
  await commentsQueue.pause();
  await noopQueue.pause();

  /** Ingest run: every 202 must be a job in Redis; the jobs are removed afterwards. */
  async function ingestShot(options: Partial<AutocannonOptions> & { jobIdsToCheck?: string[] } = {}): Promise<Shot & { queued: number; missing: number }> {
    const { jobIdsToCheck, ...autocannonOptions } = options;
    const shot = await fire({ url: `${ingest.url}/v1/sites/bench/comments`, ...post, ...autocannonOptions });
    const counts = await commentsQueue!.getJobCounts('wait', 'paused', 'prioritized');
    const queued = (counts.wait ?? 0) + (counts.paused ?? 0) + (counts.prioritized ?? 0);
    let missing = 0;
    if (jobIdsToCheck?.length) {
      const pipeline = redis.pipeline();
      for (const id of jobIdsToCheck) pipeline.exists(`${prefix}:${COMMENTS_QUEUE}:${id}`);
      missing = ((await pipeline.exec()) ?? []).filter(([, exists]) => exists !== 1).length;
    }
    await commentsQueue!.drain();
    return { ...shot, queued, missing };
  }

  function drainJobs(n: number, round: number): Array<{ name: string; data: CommentJob; opts: Record<string, unknown> }> {
    return Array.from({ length: n }, (_, i) => {
      const id = uuidv7();
      return {
        name: JOB_NAMES.comment,
        data: {
          id,
          siteId: 'drain',
          thread: { key: `/drain/${i % 50}`, url: null, title: null },
          parentId: null,
          author: { name: `Leser ${i}`, email: i % 3 ? null : `leser${i}@example.org`, url: null },
          body: `Runde ${round}, Kommentar ${i}: ein gewöhnlicher Beitrag über kleine Fluchten im Alltag, ${randomUUID().slice(0, 8)}.`,
          honeypot: null,
          renderedAt: Date.now() - 30_000,
          receivedAt: Date.now(),
          ipHash: `ip${i % 200}`,
          userAgent: 'bench',
        },
        opts: { ...COMMENT_JOB_OPTIONS, jobId: id },
      };
    });
  }

  async function drainShot(kind: 'worker' | 'noop', round: number): Promise<number> {
    const queue = kind === 'worker' ? commentsQueue! : noopQueue!;
    const jobs = drainJobs(DRAIN_JOBS, round);
    const before = kind === 'worker' ? Number((await db!.query(`select count(*) from comments where site_id = 'drain'`)).rows[0].count) : 0;
    await queue.addBulk(jobs);
    const started = performance.now();
    await queue.resume();
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (kind === 'worker') {
        const written = Number((await db!.query(`select count(*) from comments where site_id = 'drain'`)).rows[0].count) - before;
        if (written >= DRAIN_JOBS) break;
      } else {
        const c = await queue.getJobCounts('wait', 'active', 'paused', 'prioritized', 'delayed');
        if (Object.values(c).every((v) => v === 0)) break;
      }
      if (Date.now() > deadline) throw new Error(`${kind} did not drain ${DRAIN_JOBS} jobs in 120 s`);
      await sleep(10);
    }
    const rate = DRAIN_JOBS / ((performance.now() - started) / 1000);
    await queue.pause();
    return rate;
  }

  // ------------------------------------------------------------ rounds

  log('warming up');
  const warm = { duration: 1 };
  await fire({ url: `${baseline.url}/post`, ...post, ...warm });
  await ingestShot(warm);
  await fire({ url: `${baseline.url}/json`, ...warm });
  await fire({ url: `${api.url}${threadPath('/t/0')}`, ...warm });
  await fire({ url: api.url, requests: [coldRequest], ...warm });
  await drainShot('worker', -1);
  await drainShot('noop', -1);

  const series: Record<string, number[]> = {};
  const push = (name: string, value: number) => (series[name] ??= []).push(value);
  let queuedOk = true;
  let accepted = 0;
  let queued = 0;
  let bad = 0;

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

    const [basePost, ing] = await pair(
      () => fire({ url: `${baseline.url}/post`, ...post }),
      () => ingestShot(),
    );
    push('basePost', basePost.rps);
    push('ingest', ing.rps);
    push('ingestP99', ing.p99);
    push('ingestRatio', ing.rps / basePost.rps);
    accepted += ing.codes['202'] ?? 0;
    queued += ing.queued;
    bad += ing.bad;
    // Requests still in flight when a run ends are queued but not counted by autocannon: more jobs than 202s is fine, fewer is not.
    if (ing.queued < (ing.codes['202'] ?? 0)) queuedOk = false;

    const [baseGet, cached] = await pair(
      () => fire({ url: `${baseline.url}/json` }),
      () => fire({ url: `${api.url}${threadPath('/t/0')}` }),
    );
    const notModified = await fire({ url: `${api.url}${threadPath('/t/0')}`, headers: { 'if-none-match': hotEtag } }, (c) => c === 304);
    const cold = await fire({ url: api.url, requests: [coldRequest] });
    const counts = await fire({ url: `${api.url}${countsPath}` });
    push('baseGet', baseGet.rps);
    push('cached', cached.rps);
    push('cachedRatio', cached.rps / baseGet.rps);
    push('notModified', notModified.rps);
    push('notModifiedRatio', notModified.rps / baseGet.rps);
    push('cold', cold.rps);
    push('coldP99', cold.p99);
    push('counts', counts.rps);
    push('countsP99', counts.p99);
    bad += cached.bad + notModified.bad + cold.bad + counts.bad;

    const [noopRate, workerRate] = await pair(
      () => drainShot('noop', round),
      () => drainShot('worker', round),
    );
    push('noop', noopRate);
    push('worker', workerRate);
    push('workerRatio', workerRate / noopRate);
  }

  log('ingest at 70% of its measured maximum');
  const target = Math.max(1, Math.round(0.7 * median(series.ingest!)));
  const pacedIds: string[] = [];
  // Paced runs also collect every 202's id (parsing answers costs the load generator a little;
  // below the maximum that does not matter) and look each job up in Redis afterwards.
  const pacedRequest = {
    method: 'POST',
    path: '/v1/sites/bench/comments',
    headers: post.headers,
    body: postBody,
    onResponse: (status: number, body: string) => {
      if (status === 202) pacedIds.push((JSON.parse(body) as { id: string }).id);
    },
  };
  let pacedMissing = 0;
  for (let round = 0; round < RUNS; round++) {
    pacedIds.length = 0;
    const paced = await ingestShot({ overallRate: target, requests: [pacedRequest], jobIdsToCheck: pacedIds });
    pacedMissing += paced.missing;
    push('paced', paced.rps);
    push('pacedP99', paced.p99);
    push('pacedP50', paced.p50);
    if (paced.queued < (paced.codes['202'] ?? 0) || paced.missing > 0) queuedOk = false;
    accepted += paced.codes['202'] ?? 0;
    queued += paced.queued;
    bad += paced.bad;
  }

  log(`growing the database tenfold (${9 * THREADS * PER_THREAD} more comments in other threads)`);
  await seedThreads(db, 'bench', '/filler/', 9 * THREADS, PER_THREAD, true);
  await db.query('analyze comments; analyze threads');
  for (let round = 0; round < RUNS; round++) {
    const cold10 = await fire({ url: api.url, requests: [coldRequest] });
    push('cold10', cold10.rps);
    push('cold10P99', cold10.p99);
    bad += cold10.bad;
  }

  log(`POST → visible over ${LATENCY_N} comments`);
  await commentsQueue.resume();
  const latency = await measurePostToVisible({ ingestUrl: ingest.url, apiUrl: api.url, siteId: 'bench', threadKey: '/latency', n: LATENCY_N });

  // ------------------------------------------------------------ report

  const m = (name: string) => median(series[name] ?? []);
  const f0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
  const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '–');
  const rows: Array<[string, string, string, string, string, string]> = [
    ['bare Hono POST 202 (baseline)', f0(m('basePost')), '', '', '', ''],
    ['ingest POST → 202, queued', f0(m('ingest')), f2(m('ingestRatio')), ms(m('ingestP99')), '≥ 0.80× POST', m('ingestRatio') >= 0.8 ? 'yes' : 'NO'],
    [`ingest at 70% (${f0(target)}/s)`, f0(m('paced')), '', ms(m('pacedP99')), 'p99 < 50 ms', m('pacedP99') < 50 ? 'yes' : 'NO'],
    ['bare Hono GET same JSON (baseline)', f0(m('baseGet')), '', '', '', ''],
    ['thread read, cached', f0(m('cached')), f2(m('cachedRatio')), '', '≥ 0.80× GET', m('cachedRatio') >= 0.8 ? 'yes' : 'NO'],
    ['thread read, 304', f0(m('notModified')), f2(m('notModifiedRatio')), '', '> cached', m('notModified') > m('cached') ? 'yes' : 'NO'],
    [`thread read, cold (${f0(THREADS * PER_THREAD)} rows)`, f0(m('cold')), f2(m('cold') / m('baseGet')), ms(m('coldP99')), '', ''],
    [
      `thread read, cold (${f0(10 * THREADS * PER_THREAD)} rows)`,
      f0(m('cold10')),
      f2(m('cold10') / m('cold')),
      ms(m('cold10P99')),
      '≥ 0.80× cold at 1×',
      m('cold10') / m('cold') >= 0.8 ? 'yes' : 'NO',
    ],
    ['counts, 100 threads, one query', f0(m('counts')), f2(m('counts') / m('baseGet')), ms(m('countsP99')), '', ''],
    [`no-op BullMQ worker, concurrency ${CONCURRENCY} (baseline)`, f0(m('noop')), '', '', '', ''],
    ['worker: decided and written', f0(m('worker')), f2(m('workerRatio')), '', '≥ 0.60× no-op', m('workerRatio') >= 0.6 ? 'yes' : 'NO'],
    [
      `POST → visible (n=${latency.n})`,
      '',
      '',
      `p50 ${ms(latency.medianMs)}, p99 ${ms(latency.p99Ms)}`,
      'median < 20 ms',
      latency.medianMs < 20 ? 'yes' : 'NO',
    ],
  ];
  const header = ['scenario', 'per s (median)', 'ratio', 'latency', 'goal', 'met'] as const;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  console.log('');
  console.log(
    `Stammtisch bench: ${RUNS} rounds × ${DURATION} s, ${CONNECTIONS} connections, worker concurrency ${CONCURRENCY}, ${DRAIN_JOBS} jobs per drain, Node ${process.version}`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 1 || i === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log(
    `every 202 durably queued: ${queuedOk ? 'yes' : 'NO'} (${f0(accepted)} answered 202, ${f0(queued)} jobs found in Redis; of the paced runs' 202s, each looked up by id: ${pacedMissing} missing); failed or unexpected answers: ${f0(bad)} ${JSON.stringify(unexpected)}`,
  );
  console.log('ratios are medians of per-round ratios (subject and baseline measured back to back); per-round values:');
  for (const name of ['ingestRatio', 'cachedRatio', 'notModifiedRatio', 'workerRatio']) console.log(`  ${name}: ${(series[name] ?? []).map(f2).join(', ')}`);
  if (args.json)
    writeFileSync(
      args.json,
      `${JSON.stringify({ options: { RUNS, DURATION, CONNECTIONS, THREADS, PER_THREAD, DRAIN_JOBS, CONCURRENCY }, series, latency, queuedOk, accepted, queued, bad }, null, 2)}\n`,
    );
} finally {
  await Promise.allSettled([commentsQueue?.close(), noopQueue?.close()]);
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

/** `threads` threads of `perThread` approved top-level comments each, written by SQL (seconds, not minutes). */
async function seedThreads(client: pg.Client, siteId: string, keyPrefix: string, threads: number, perThread: number, mixStatuses = false): Promise<void> {
  await client.query(
    `insert into threads (site_id, key, title, url)
     select $1, $2 || g, 'Thread ' || g, 'https://blog.example' || $2 || g from generate_series(0, $3 - 1) g`,
    [siteId, keyPrefix, threads],
  );
  await client.query(
    `with src as (
       select gen_random_uuid() as id, t.id as thread_id, g
       from threads t cross join generate_series(1, $3) g
       where t.site_id = $1 and t.key like $2 || '%'
     )
     insert into comments (id, site_id, thread_id, root_id, author_name, body, body_hash, html, status, created_at)
     select id, $1, thread_id, id, 'Leserin ' || g,
            'Kommentar ' || g || ': ein gewöhnlicher Beitrag über kleine Fluchten im Alltag.',
            md5(id::text), '<p>Kommentar ' || g || ': ein gewöhnlicher Beitrag über kleine Fluchten im Alltag.</p>',
            case when $4 and g % 10 = 0 then 'spam' when $4 and g % 10 = 1 then 'pending' else 'approved' end,
            now() - make_interval(secs => $3 - g)
     from src`,
    [siteId, keyPrefix, perThread, mixStatuses],
  );
}
