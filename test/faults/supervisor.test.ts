import { type TestContext, createTestContext, eventually } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainAndTally, makeFaultSite, postComments, recordScenario } from './harness.js';
import { type NpmStart, inheritedEnv, npmStart } from './npm-start.js';

// `npm start` is the deployment on one machine, so it supervises: the worker
// dies with SIGKILL while comments stream in; ingest and api keep answering,
// the supervisor starts a new worker at once (and counts the restart in its
// /metrics), the new worker takes over the killed one's jobs, and every
// comment accepted before, during and after is decided exactly once.

const COUNT = 300;
let ctx: TestContext;
let run: NpmStart;

interface ServiceState {
  name: string;
  pid: number | null;
  up: boolean;
  restarts: number;
}

async function services(): Promise<ServiceState[]> {
  const res = await fetch(`${run.url('supervisor')}/services`);
  return ((await res.json()) as { services: ServiceState[] }).services;
}
const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.ok)
    .catch(() => false);

beforeAll(async () => {
  ctx = await createTestContext();
  await makeFaultSite(ctx.db);
  run = await npmStart({
    ...inheritedEnv(),
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: ctx.redisPrefix,
    RATE_LIMIT_PER_MINUTE: '0',
    WORKER_LOCK_DURATION_MS: '3000',
    WORKER_CONCURRENCY: '10',
    LOG_LEVEL: 'info',
  });
  await run.running();
});

afterAll(async () => {
  await run?.stop('SIGKILL');
  for (const s of (await services().catch(() => [])) ?? []) if (s.pid) process.kill(s.pid, 'SIGKILL');
  await ctx?.cleanup();
});

describe('npm start supervises its services', () => {
  it('restarts a worker killed with SIGKILL while ingest and api keep serving, and decides every comment once', async () => {
    const before = await services();
    const oldPid = before.find((s) => s.name === 'worker')?.pid;
    expect(oldPid).toBeTypeOf('number');

    // Probe ingest and api all through the kill: every probe must answer.
    let probing = true;
    const probes = { sent: 0, failed: 0 };
    const prober = (async () => {
      while (probing) {
        const ok = await Promise.all([
          answers(`${run.url('ingest')}/healthz`),
          answers(`${run.url('api')}/v1/sites/faults/threads/%2Ffaults%2Fkill%2F0/comments`),
        ]);
        probes.sent += 2;
        probes.failed += ok.filter((x) => !x).length;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const load = postComments([run.url('ingest')], 'faults', COUNT, { concurrency: 6, tag: 'kill', delayMs: 10 });
    const writtenBeforeKill = await eventually(
      async () => {
        const { n } = await ctx.db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(n) >= 40 ? Number(n) : undefined;
      },
      { timeoutMs: 60_000, message: 'the worker never wrote 40 comments' },
    );
    const killedAt = Date.now();
    process.kill(oldPid as number, 'SIGKILL');

    const newPid = await eventually(
      async () => {
        const worker = (await services()).find((s) => s.name === 'worker');
        return worker?.up && worker.pid !== oldPid ? worker.pid : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20, message: 'the supervisor did not start a new worker' },
    );
    const restartedMs = Date.now() - killedAt;
    await eventually(async () => ((await answers(`${run.url('worker')}/healthz`)) ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    const healthyMs = Date.now() - killedAt;

    const during = await load;
    // And after: comments posted to the restarted stack.
    const after = await postComments([run.url('ingest')], 'faults', 50, { concurrency: 4, tag: 'after' });
    const result = {
      accepted: [...during.accepted, ...after.accepted],
      refused: { ...during.refused, ...after.refused },
    };
    const counts = await drainAndTally(ctx.db, result.accepted);
    probing = false;
    await prober;
    const metrics = await (await fetch(`${run.url('supervisor')}/metrics`)).text();
    recordScenario('npm start: worker SIGKILL, supervisor restarts it', {
      ...counts,
      writtenBeforeKill,
      restartedMs,
      healthyMs,
      probes,
      refused: result.refused,
    });

    expect(newPid).not.toBe(oldPid);
    expect(restartedMs).toBeLessThan(5000);
    expect(run.output()).toMatch(/worker exited \(SIGKILL\); restarting in \d+ ms \(restart 1\)/);
    expect(metrics).toMatch(/stammtisch_supervisor_restarts_total\{service="worker"[^}]*\} 1/);
    expect(metrics).toMatch(/stammtisch_supervisor_restarts_total\{service="ingest"[^}]*\} 0/);
    expect(probes.failed).toBe(0);
    expect(result.accepted.length).toBe(COUNT + 50);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    // ingest and api were never restarted.
    const now = await services();
    for (const name of ['ingest', 'api']) {
      expect(now.find((s) => s.name === name)?.pid).toBe(before.find((s) => s.name === name)?.pid);
    }
  });

  it('stops every service gracefully on SIGTERM', async () => {
    const pids = (await services()).map((s) => s.pid as number);
    const code = await run.stop('SIGTERM');
    expect(code).toBe(0);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(pids.filter(alive)).toEqual([]);
    expect(run.output()).toContain('"msg":"shut down cleanly"');
    expect(await answers(`${run.url('api')}/healthz`)).toBe(false);
  });
});
