import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { type DB, createDatabase, createSite, createWebhook, migrateToLatest } from '@stammtisch/db';
import { createProducerConnection, publishChange, queueLayout } from '@stammtisch/queue';
import { type RunningService, type ServiceName, eventually, startService } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresPair,
  type RedisClusterServers,
  cpuSeconds,
  recordFigures,
  startPostgresWithReplica,
  startRedisCluster,
  withClient,
} from './harness.js';
import { countDecided, metricTotal, postComments, readLoop, tableCosts } from './load.js';

// Beyond one machine, with real servers: a 3-master Redis Cluster and a
// Postgres primary with a streaming replica, 2 ingest, 3 worker and 2 api
// processes. 10,000 comments over 50 sites go through 16 queue shards; each
// is written exactly once, the replica serves the reads, and killing a
// worker and an api under load loses nothing.

const SITES = Array.from({ length: 50 }, (_, i) => `site-${String(i).padStart(2, '0')}`);
const COMMENTS = 10_000;
const KILL_PHASE_COMMENTS = 1500;
const SHARDS = 16;
const PREFIX = 'st';

let redis: RedisClusterServers;
let postgres: PostgresPair;
let db: DB;
let admin: Cluster;
let queues: Queue[];
const ingests: RunningService[] = [];
const apis: RunningService[] = [];
const workers: RunningService[] = [];
const accepted: string[] = [];
let env: Record<string, string>;

async function start(name: ServiceName, extra: Record<string, string> = {}): Promise<RunningService> {
  return startService(name, { ...env, ...extra }, { timeoutMs: 120_000 });
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedisCluster(3), startPostgresWithReplica()]);
  await migrateToLatest(postgres.primaryUrl);
  db = createDatabase({ url: postgres.primaryUrl, poolSize: 4 });
  for (const id of SITES) {
    await createSite(db, {
      id,
      name: id,
      origins: ['*'],
      moderation: 'post',
      settings: { rateLimitPerMinute: 0, siteRateLimitPerMinute: 0 },
    });
  }
  env = {
    DATABASE_URL: postgres.primaryUrl,
    REDIS_URL: 'redis://127.0.0.1:1', // never used: REDIS_CLUSTER_NODES wins
    REDIS_CLUSTER_NODES: redis.nodesEnv,
    REDIS_PREFIX: PREFIX,
    QUEUE_SHARDS: String(SHARDS),
    RATE_LIMIT_PER_MINUTE: '0',
    SITE_RATE_LIMIT_PER_MINUTE: '0',
    WORKER_CONCURRENCY: '4',
    WORKER_LOCK_DURATION_MS: '4000',
    DATABASE_POOL_SIZE: '6',
    WEBHOOK_ALLOW_PRIVATE: '1', // the test's webhook receiver is on 127.0.0.1
  };
  admin = redis.client();
  const layout = queueLayout({ prefix: PREFIX, shards: SHARDS, cluster: true });
  queues = layout.commentQueues.map(({ name, prefix }) => new Queue(name, { connection: admin, prefix }));
  // One after another: seven cold starts at once starve a small machine.
  for (const name of ['ingest', 'ingest'] as const) ingests.push(await start(name));
  for (const name of ['api', 'api'] as const) apis.push(await start(name, { DATABASE_READ_URL: postgres.replicaUrl }));
}, 400_000);

afterAll(async () => {
  await Promise.allSettled([...ingests, ...apis, ...workers].map((s) => s.stop('SIGKILL')));
  await Promise.allSettled((queues ?? []).map((q) => q.close()));
  admin?.disconnect();
  await db?.destroy();
  await Promise.allSettled([redis?.destroy(), postgres?.destroy()]);
}, 120_000);

describe('Redis Cluster (3 masters) + Postgres primary and replica, 2 ingest / 3 worker / 2 api', () => {
  it('queues 10,000 comments from 50 sites on all 16 shards, spread over every master', async () => {
    const memoryBefore = await redis.usedMemory();
    const ingestCpuBefore = ingests.map((s) => cpuSeconds(s.process.pid!));
    const started = Date.now();
    const load = await postComments(
      ingests.map((s) => s.url),
      SITES,
      COMMENTS,
      { concurrency: 32, tag: 'a' },
    );
    const seconds = (Date.now() - started) / 1000;
    const ingestCpu = ingests.reduce((sum, s, i) => sum + cpuSeconds(s.process.pid!) - ingestCpuBefore[i]!, 0);
    expect(load.refused).toEqual({});
    expect(load.accepted).toHaveLength(COMMENTS);
    accepted.push(...load.accepted);

    const waiting = await Promise.all(queues.map((q) => q.getJobCounts('wait').then((c) => c.wait ?? 0)));
    expect(waiting.reduce((a, b) => a + b, 0)).toBe(COMMENTS);
    expect(waiting.every((n) => n > 0)).toBe(true);
    const masters = await Promise.all(queues.map((q) => redis.masterOf(`${q.opts.prefix}:${q.name}:wait`)));
    expect(new Set(masters).size).toBe(3);
    const bytesPerQueuedJob = Math.round(((await redis.usedMemory()) - memoryBefore) / COMMENTS);
    recordFigures('queued', {
      comments: COMMENTS,
      acceptedPerSecond: Math.round(COMMENTS / seconds),
      commentsPerIngestCpuSecond: Math.round(COMMENTS / ingestCpu),
      bytesPerQueuedJob,
      jobsPerShard: waiting,
      shardsPerMaster: Object.fromEntries(
        [...new Set(masters)].map((port) => [port, masters.filter((m) => m === port).length]),
      ),
    });
  }, 300_000);

  it('3 workers drain every shard: each comment decided and written exactly once', async () => {
    const started = Date.now();
    const cpuAtStart = new Map<RunningService, number>();
    for (let i = 0; i < 3; i++) {
      const worker = await start('worker');
      cpuAtStart.set(worker, cpuSeconds(worker.process.pid!));
      workers.push(worker);
    }
    await eventually(async () => ((await countDecided(db, accepted)) === COMMENTS ? true : undefined), {
      timeoutMs: 240_000,
      intervalMs: 500,
      message: 'not every queued comment was written',
    });
    const seconds = (Date.now() - started) / 1000;
    const workerCpu = workers.reduce((sum, w) => sum + cpuSeconds(w.process.pid!) - cpuAtStart.get(w)!, 0);

    // Exactly once: one row per accepted id, no body twice, every job completed once and none failed.
    const rows = await db
      .selectFrom('comments')
      .select([sql<number>`count(*)::int`.as('n'), sql<number>`count(distinct body)::int`.as('bodies')])
      .executeTakeFirstOrThrow();
    expect(rows).toEqual({ n: COMMENTS, bodies: COMMENTS });
    const counts = await eventually(async () => {
      const all = await Promise.all(queues.map((q) => q.getJobCounts('completed', 'failed', 'active', 'wait')));
      return all.every((c) => c.active === 0 && c.wait === 0) ? all : undefined;
    });
    expect(counts.reduce((sum, c) => sum + (c.completed ?? 0), 0)).toBe(COMMENTS);
    expect(counts.reduce((sum, c) => sum + (c.failed ?? 0), 0)).toBe(0);
    expect(counts.every((c) => (c.completed ?? 0) > 0)).toBe(true);
    // Every worker took a share. (The counters may sum to less than COMMENTS: a job whose first attempt
    // wrote the row but then failed, e.g. a Redis timeout on a starved machine, is retried and finds the row.)
    const perWorker = await Promise.all(workers.map((w) => metricTotal(w, 'comments_decided_total')));
    expect(perWorker.every((n) => n > 0)).toBe(true);

    recordFigures('drained', {
      comments: COMMENTS,
      seconds: Math.round(seconds),
      commentsPerSecond: Math.round(COMMENTS / seconds),
      workerCpuSeconds: Math.round(workerCpu * 10) / 10,
      commentsPerWorkerCpuSecond: Math.round(COMMENTS / workerCpu),
      perWorker,
      ...(await tableCosts(db)),
    });
  }, 400_000);

  it('serves public reads from the replica: consistent once it caught up, stale but never an error while it lags', async () => {
    const lagMs = await postgres.replicaCaughtUp();
    await new Promise((r) => setTimeout(r, 1500)); // the api drops a thread's cache again a second after its change event
    const truth = await db
      .selectFrom('comments')
      .innerJoin('threads', 'threads.id', 'comments.threadId')
      .select(['comments.siteId', 'threads.key', sql<number>`count(*)::int`.as('n')])
      .where('comments.status', '=', 'approved')
      .groupBy(['comments.siteId', 'threads.key'])
      .execute();
    for (const [i, site] of SITES.entries()) {
      const mine = truth.filter((t) => t.siteId === site);
      const query = mine.map((t) => `thread=${encodeURIComponent(t.key)}`).join('&');
      const res = await fetch(`${apis[i % 2]!.url}/v1/sites/${site}/counts?${query}`);
      expect(res.status).toBe(200);
      expect((await res.json()).counts).toEqual(Object.fromEntries(mine.map((t) => [t.key, t.n])));
      const thread = await (
        await fetch(
          `${apis[(i + 1) % 2]!.url}/v1/sites/${site}/threads/${encodeURIComponent(mine[0]!.key)}/comments?limit=1`,
        )
      ).json();
      expect(thread.thread.count).toBe(mine[0]!.n);
    }
    // The read path really is on the replica: the api's read pool is connected there, and only there.
    const readers = (url: string) =>
      withClient(url, (c) =>
        c.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where application_name = 'stammtisch-api-read'`,
        ),
      ).then((r) => r.rows[0]!.n);
    expect(await readers(postgres.replicaUrl)).toBeGreaterThan(0);
    expect(await readers(postgres.primaryUrl)).toBe(0);

    // Change events cross the cluster (pub/sub): a cached page is dropped when its thread gets a comment,
    // well before the cache's 30 s TTL would.
    const page = async () =>
      (await (await fetch(`${apis[1]!.url}/v1/sites/site-01/threads/%2Fartikel-0/comments?limit=200`)).json()) as {
        comments: { id: string }[];
      };
    await page();
    const fresh = await postOne(ingests[1]!, 'site-01', '/artikel-0', 'Frisch, und gleich zu sehen.');
    await eventually(
      async () =>
        (await (await fetch(`${apis[0]!.url}/v1/sites/site-01/comments/${fresh}`)).json()).status === 'approved'
          ? true
          : undefined,
      {
        timeoutMs: 60_000,
      },
    );
    await eventually(async () => ((await page()).comments.some((c) => c.id === fresh) ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 200,
    });

    // Comment events ride the events and webhooks queues (hash-tagged prefix) to a receiver; the site.changed
    // event that tells the workers someone now listens crosses the cluster too.
    const deliveries: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        deliveries.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = receiver.address() as { port: number };
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      await createWebhook(db, {
        siteId: 'site-02',
        url: `http://127.0.0.1:${port}/hook`,
        events: ['comment.received', 'comment.approved'],
        secret,
      });
      const publisher = createProducerConnection({ cluster: redis.nodes }, { enableOfflineQueue: true });
      await publishChange(publisher, PREFIX, { type: 'site.changed', siteId: 'site-02' }).finally(() =>
        publisher.disconnect(),
      );
      const hooked = await postOne(ingests[0]!, 'site-02', '/artikel-1', 'Mit Webhook, quer durch den Cluster.');
      await eventually(async () => (deliveries.some((body) => body.includes(hooked)) ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 200,
      });
    } finally {
      receiver.close();
    }

    // Replay paused = a replica far behind. The author still sees their comment's real status (primary);
    // the public list is stale (without it), never an error; once replay resumes the list has it.
    await withClient(postgres.replicaUrl, (c) => c.query('select pg_wal_replay_pause()'));
    try {
      const id = await postOne(ingests[0]!, 'site-00', '/lag', 'Geschrieben, während das Replikat schläft.');
      await eventually(
        async () => {
          const status = await (await fetch(`${apis[0]!.url}/v1/sites/site-00/comments/${id}`)).json();
          return status.status === 'approved' ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
      const stale = await fetch(`${apis[1]!.url}/v1/sites/site-00/threads/%2Flag/comments`);
      expect(stale.status).toBe(200);
      expect((await stale.json()).comments.map((c: { id: string }) => c.id)).not.toContain(id);
    } finally {
      await withClient(postgres.replicaUrl, (c) => c.query('select pg_wal_replay_resume()'));
    }
    await eventually(
      async () => {
        const fresh = await (await fetch(`${apis[1]!.url}/v1/sites/site-00/threads/%2Flag/comments`)).json();
        return fresh.comments.length === 1 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    recordFigures('replica', { caughtUpAfterMs: lagMs });
  }, 180_000);

  it('loses nothing when one worker and one api are killed under load', async () => {
    const reads = readLoop(
      apis.map((a) => a.url),
      SITES,
    );
    let killed: Promise<unknown> | undefined;
    const result = await postComments(
      ingests.map((s) => s.url),
      SITES,
      KILL_PHASE_COMMENTS,
      {
        concurrency: 16,
        tag: 'b',
        // A third of the way in, with jobs in flight on every worker: SIGKILL, no goodbye.
        onAccepted: (n) => {
          if (n === Math.floor(KILL_PHASE_COMMENTS / 3))
            killed = Promise.all([workers[0]!.stop('SIGKILL'), apis[0]!.stop('SIGKILL')]);
        },
      },
    );
    await killed;
    expect(workers[0]!.process.signalCode).toBe('SIGKILL');
    const readStats = await reads.stop();
    expect(result.refused).toEqual({});
    accepted.push(...result.accepted);

    await eventually(async () => ((await countDecided(db, accepted)) === accepted.length ? true : undefined), {
      timeoutMs: 240_000,
      intervalMs: 500,
      message: 'a comment accepted while a worker was killed was not written',
    });
    const rows = await db
      .selectFrom('comments')
      .select([sql<number>`count(*)::int`.as('n'), sql<number>`count(distinct body)::int`.as('bodies')])
      .executeTakeFirstOrThrow();
    expect(rows).toEqual({ n: accepted.length, bodies: accepted.length });
    // Reads: a reader whose api died retries on the other one; no read is lost for good.
    expect(readStats.failed).toBe(0);
    expect(readStats.ok).toBeGreaterThan(0);
    recordFigures('killed', { accepted: result.accepted.length, lost: 0, duplicated: 0, reads: readStats });
  }, 300_000);
});

/** One comment, remembered as accepted; returns its id. */
async function postOne(ingest: RunningService, site: string, threadKey: string, body: string): Promise<string> {
  const res = await fetch(`${ingest.url}/v1/sites/${site}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ thread: { key: threadKey }, author: { name: 'Eilig' }, body }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  accepted.push(id);
  return id;
}
