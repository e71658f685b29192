import { type RunningService, type TestContext, createTestContext, eventually } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainAndTally, makeFaultSite, postComments, recordScenario, start, tally } from './harness.js';

// Two ingest and two worker processes share the load; then each kind of
// service gets SIGTERM while it is busy: it finishes what it holds, exits 0
// within its shutdown timeout, and nothing that was acknowledged is lost.

const SHUTDOWN_TIMEOUT_MS = 10_000;
let ctx: TestContext;
let env: Record<string, string>;
let ingests: RunningService[] = [];
let workers: RunningService[] = [];
let api: RunningService;

beforeAll(async () => {
  ctx = await createTestContext();
  env = {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: ctx.redisPrefix,
    RATE_LIMIT_PER_MINUTE: '0',
    WORKER_LOCK_DURATION_MS: '3000',
    WORKER_CONCURRENCY: '8',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  };
  await makeFaultSite(ctx.db);
  const started = await Promise.all([
    start('ingest', env),
    start('ingest', env),
    start('worker', env),
    start('worker', env),
    start('api', env),
  ]);
  ingests = started.slice(0, 2);
  workers = started.slice(2, 4);
  api = started[4]!;
});

afterAll(async () => {
  await Promise.all([...ingests, ...workers, api].map((s) => s?.stop('SIGKILL')));
  await ctx.cleanup();
});

async function timedStop(service: RunningService): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const code = await service.stop('SIGTERM');
  return { code, ms: Date.now() - t0 };
}

describe('several processes at once, and SIGTERM under load', () => {
  it('2 ingest + 2 worker processes: every accepted comment is stored exactly once and the totals match', async () => {
    const result = await postComments(
      ingests.map((s) => s.url),
      'faults',
      400,
      { concurrency: 8, tag: 'scale' },
    );
    const counts = await drainAndTally(ctx.db, result.accepted);
    const { n } = await ctx.db
      .selectFrom('comments')
      .where('body', 'like', 'Kommentar scale-%')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    recordScenario('2 ingest + 2 worker processes under load', {
      ...counts,
      rowsForRun: Number(n),
      refused: result.refused,
    });
    expect(result.accepted).toHaveLength(400);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(Number(n)).toBe(400);
  });

  it('SIGTERM to an ingest, a worker and the api while busy: each exits 0 in time and nothing acknowledged is lost', async () => {
    let live = ingests.map((s) => s.url);
    const load = postComments(() => live, 'faults', 300, { concurrency: 6, tag: 'term', delayMs: 10 });

    // Reads keep the api busy while it is told to stop.
    let reading = true;
    const readStatuses: Record<number, number> = {};
    const readers = Array.from({ length: 4 }, async () => {
      while (reading) {
        let status = 0;
        try {
          status = (
            await fetch(`${api.url}/v1/sites/faults/threads/${encodeURIComponent('/faults/term/1')}/comments`, {
              signal: AbortSignal.timeout(15_000),
            })
          ).status;
        } catch {
          status = 0; // refused once it stopped listening
        }
        readStatuses[status] = (readStatuses[status] ?? 0) + 1;
        if (status === 0) await new Promise((r) => setTimeout(r, 50));
      }
    });

    await eventually(
      async () =>
        (await ctx.db.selectFrom('comments').select('id').where('body', 'like', 'Kommentar term-%').limit(30).execute())
          .length >= 30
          ? true
          : undefined,
      { timeoutMs: 60_000 },
    );
    // New requests go to the other ingest from here on; the ones in flight must still be answered.
    const ingest = ingests[0]!;
    live = [ingests[1]!.url];
    const ingestStop = await timedStop(ingest);
    const workerStop = await timedStop(workers[0]!);
    const apiStop = await timedStop(api);
    reading = false;
    await Promise.all(readers);

    const result = await load;
    const counts = await drainAndTally(ctx.db, result.accepted);
    recordScenario('SIGTERM to ingest, worker and api under load', {
      ...counts,
      refused: result.refused,
      ingestExit: ingestStop,
      workerExit: workerStop,
      apiExit: apiStop,
      readStatuses,
    });

    for (const [service, stop] of [
      [ingest, ingestStop],
      [workers[0]!, workerStop],
      [api, apiStop],
    ] as const) {
      if (stop.code !== 0) console.log(`--- ${service.name} exited ${stop.code}:\n${service.output().slice(-4000)}`);
    }
    for (const stop of [ingestStop, workerStop, apiStop]) {
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 5000);
    }
    // Nothing answered with a server error while shutting down: a request is answered or refused at the door.
    expect(Object.keys(result.refused).filter((status) => Number(status) >= 500)).toEqual([]);
    expect(Object.keys(readStatuses).filter((status) => Number(status) >= 500)).toEqual([]);
    expect(readStatuses[200]).toBeGreaterThan(0);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect((await tally(ctx.db, result.accepted)).decided).toBe(result.accepted.length);
  });
});
