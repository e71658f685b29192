import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhook } from '@stammtisch/db';
import { COMMENTS_QUEUE } from '@stammtisch/queue';
import { type RunningService, type TestContext, createTestContext, eventually } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainAndTally, makeFaultSite, postComments, recordScenario, start, tally } from './harness.js';

// A worker dies with SIGKILL (no chance to clean up) while comments stream
// in; a new one starts. The killed worker's jobs were locked: their lock runs
// out (WORKER_LOCK_DURATION_MS) and the new worker takes them over. Rows are
// keyed by the comment id, so a job that ran halfway twice still makes one row.
// A webhook receiver counts the `comment.received` deliveries: exactly one
// event per accepted comment, none lost and none sent under two ids; the
// event and delivery jobs the killed worker held are taken over as quickly
// as its comments.

const COUNT = 300;
let ctx: TestContext;
let env: Record<string, string>;
const services: RunningService[] = [];
let receiver: http.Server;
/** comment id → the webhook-ids it was delivered under, and how many deliveries came in all. */
const deliveries = new Map<string, Set<string>>();
let deliveryCount = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  env = {
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: ctx.redisPrefix,
    RATE_LIMIT_PER_MINUTE: '0',
    WORKER_LOCK_DURATION_MS: '3000',
    WORKER_CONCURRENCY: '10',
    WEBHOOK_ALLOW_PRIVATE: '1',
  };
  await makeFaultSite(ctx.db);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        const event = JSON.parse(body) as { type: string; data: { id: string } };
        if (event.type === 'comment.received') {
          deliveryCount++;
          const ids = deliveries.get(event.data.id) ?? new Set<string>();
          ids.add(String(req.headers['webhook-id']));
          deliveries.set(event.data.id, ids);
        }
      } catch {
        // not ours
      }
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  await createWebhook(ctx.db, {
    siteId: 'faults',
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    events: ['comment.received'],
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });
  services.push(...(await Promise.all([start('ingest', env), start('worker', env)])));
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop('SIGKILL')));
  await new Promise((r) => receiver?.close(r));
  await ctx.cleanup();
});

describe('worker killed with SIGKILL mid-stream', () => {
  it('decides every accepted comment exactly once after a new worker starts', async () => {
    const ingest = services[0]!;
    const firstWorker = services[1]!;
    const load = postComments([ingest.url], 'faults', COUNT, { concurrency: 6, tag: 'kill' });

    // Kill while the worker is busy: some comments written, others not yet.
    const writtenBeforeKill = await eventually(
      async () => {
        const { n } = await ctx.db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(n) >= 40 ? Number(n) : undefined;
      },
      { timeoutMs: 60_000, message: 'the first worker never wrote 40 comments' },
    );
    await firstWorker.stop('SIGKILL');
    const second = await start('worker', env);
    services.push(second);

    const result = await load;
    const counts = await drainAndTally(ctx.db, result.accepted);
    // Jobs the killed worker held: BullMQ found them stalled and handed them on.
    const queue = new Queue(COMMENTS_QUEUE, { connection: ctx.redis.duplicate(), prefix: ctx.redisPrefix });
    const completed = await queue.getJobs(['completed'], 0, -1);
    const takenOver = completed.filter((job) => (job.stalledCounter ?? 0) > 0).length;
    await queue.close();
    // Every accepted comment's webhook arrives. The killed worker's event and delivery jobs are taken over
    // like its comments, after the 3 s lock: 20 s is ample for that and far short of BullMQ's 30 s default,
    // so a notification worker that ignored WORKER_LOCK_DURATION_MS would fail here.
    await eventually(async () => (result.accepted.every((id) => deliveries.has(id)) ? true : undefined), {
      timeoutMs: 20_000,
    }).catch(() => {});
    const webhooksMissing = result.accepted.filter((id) => !deliveries.has(id)).length;
    const webhooksUnderTwoIds = [...deliveries.values()].filter((ids) => ids.size > 1).length;
    recordScenario('worker SIGKILL mid-stream, then restart', {
      ...counts,
      writtenBeforeKill,
      takenOver,
      refused: result.refused,
      webhookDeliveries: deliveryCount,
      webhooksMissing,
      webhooksUnderTwoIds,
    });

    expect(writtenBeforeKill).toBeLessThan(COUNT);
    expect(result.accepted.length).toBe(COUNT);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(webhooksMissing).toBe(0);
    expect(webhooksUnderTwoIds).toBe(0);
    expect((await tally(ctx.db, result.accepted)).decided).toBe(COUNT);
  });
});
