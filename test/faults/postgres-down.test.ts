import { randomBytes } from 'node:crypto';
import { createDatabase, type DB, migrateToLatest } from '@stammtisch/db';
import { type RunningService, deleteKeys, eventually } from '@stammtisch/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type PrivatePostgres,
  drainAndTally,
  makeFaultSite,
  postComments,
  recordScenario,
  start,
  startPrivatePostgres,
} from './harness.js';

// Postgres goes away while comments keep coming. Ingest needs only Redis on
// its hot path (the site is in its cache), so it goes on answering 202; the
// worker's jobs fail and are retried with backoff; the read API answers 503
// at once. When Postgres is back, everything drains. The Postgres here is a
// private one on its own port and data folder: the shared one is untouched.

const COUNT = 300;
let pg: PrivatePostgres;
let db: DB;
let redis: Redis;
let prefix: string;
const services: RunningService[] = [];

beforeAll(async () => {
  pg = await startPrivatePostgres();
  const url = pg.url.replace(/\/postgres$/, '/stammtisch');
  await migrateToLatest(url);
  db = createDatabase({ url, poolSize: 3, connectionTimeoutMs: 1000 });
  await makeFaultSite(db);
  const redisUrl = inject('redisUrl');
  redis = new Redis(redisUrl);
  prefix = `f${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    RATE_LIMIT_PER_MINUTE: '0',
    WORKER_LOCK_DURATION_MS: '5000',
  };
  services.push(...(await Promise.all([start('ingest', env), start('worker', env), start('api', env)])));
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  await db?.destroy();
  await deleteKeys(redis, `${prefix}*`);
  await redis.quit();
  await pg?.destroy();
});

describe('Postgres stopped while comments arrive', () => {
  it('keeps ingest answering 202, the read API answering 503 fast, and drains everything once Postgres is back', async () => {
    const [ingest, , api] = services as [RunningService, RunningService, RunningService];
    // Warm ingest's site cache, as any running system would have it.
    const warm = await postComments([ingest.url], 'faults', 1, { tag: 'warm' });
    expect(warm.accepted).toHaveLength(1);

    const load = postComments([ingest.url], 'faults', COUNT, { concurrency: 4, tag: 'pgdown', delayMs: 40 });
    await eventually(
      async () => ((await db.selectFrom('comments').select('id').limit(30).execute()).length >= 30 ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    await pg.stop();
    const downAt = Date.now();

    // While Postgres is away: a read of a thread nobody cached is a fast 503 with a JSON error.
    const started = Date.now();
    const read = await fetch(
      `${api.url}/v1/sites/faults/threads/${encodeURIComponent(`/never-read-${Date.now()}`)}/comments`,
      {
        signal: AbortSignal.timeout(15_000),
      },
    );
    const readMs = Date.now() - started;
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBeTruthy();
    expect((await read.json()).error.code).toBe('unavailable');
    expect((await fetch(`${api.url}/readyz`)).status).toBe(503);

    // Ingest still answers 202 from its cache while Postgres is down.
    const during = await postComments([ingest.url], 'faults', 40, { concurrency: 4, tag: 'during' });
    expect(during.accepted).toHaveLength(40);

    await new Promise((r) => setTimeout(r, Math.max(0, 6000 - (Date.now() - downAt))));
    await pg.start();
    const downMs = Date.now() - downAt;

    const result = await load;
    const accepted = [...warm.accepted, ...result.accepted, ...during.accepted];
    const counts = await drainAndTally(db, accepted, 120_000);
    recordScenario('Postgres stopped (immediate) while comments arrive, then restarted', {
      ...counts,
      postgresDownMs: downMs,
      acceptedWhileDown: during.accepted.length,
      readWhileDownMs: readMs,
      refused: result.refused,
    });
    if (counts.lost > 0) console.log(services.map((s) => `--- ${s.name}\n${s.output().slice(-3000)}`).join('\n'));
    expect(result.accepted.length + during.accepted.length + 1).toBe(COUNT + 41);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(
      (await fetch(`${api.url}/v1/sites/faults/threads/${encodeURIComponent('/faults/pgdown/0')}/comments`)).status,
    ).toBe(200);
  });
});
