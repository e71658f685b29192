import { COMMENT_JOB_OPTIONS, type CommentJob } from '@stammtisch/contract';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import {
  COMMENTS_QUEUE,
  type ChangeEvent,
  createWorkerConnection,
  publishChange,
  subscribeToChanges,
} from '@stammtisch/queue';
import { type TestContext, commentRows, createTestContext, makeSite, siteComments } from '@stammtisch/testkit';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { KyselyPlugin } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WrittenComment, processCommentBatch } from '../src/processors/comment.js';
import { createSiteContextCache } from '../src/site-context.js';
import { createThreadCache } from '../src/thread-cache.js';
import { createCommentWorker } from '../src/worker.js';

let ctx: TestContext;
let connection: Redis;
const logger = createLogger({ service: 'batch-test', level: 'silent' });
let serial = 0;

function job(overrides: Partial<CommentJob> = {}): CommentJob {
  const n = ++serial;
  return {
    id: uuidv7(),
    siteId: 'blog',
    thread: { key: `/artikel/${n % 7}`, url: null, title: null },
    author: { name: `Leserin ${n}`, email: null, url: null },
    body: `Ein ganz gewöhnlicher Kommentar, Nummer ${n}, über kleine Fluchten.`,
    renderedAt: Date.now() - 60_000,
    receivedAt: Date.now(),
    ipHash: `ip-${n}`,
    ...overrides,
  };
}

/** Counts the INSERT statements sent through this database handle. */
function countingInserts() {
  let inserts = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      if (args.node.kind === 'InsertQueryNode') inserts++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: ctx.db.withPlugin(plugin), inserts: () => inserts };
}

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog', moderation: 'post' });
  connection = createWorkerConnection(ctx.redisUrl);
});

afterAll(async () => {
  await connection.quit();
  await ctx.cleanup();
});

describe('the batch path', () => {
  it('writes 99 comments of a batch of 100 once, in one INSERT, and fails the poison one alone until it is dead-lettered', async () => {
    const queue = new Queue(COMMENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
    // A NUL byte: ingest refuses it, but a job from elsewhere may carry one, and Postgres cannot store it.
    const poison = job({ body: 'Gift\u0000 im Kommentar' });
    const jobs = Array.from({ length: 100 }, (_, i) => (i === 42 ? poison : job()));
    await queue.addBulk(
      jobs.map((data) => ({
        name: 'comment',
        data,
        opts: {
          ...COMMENT_JOB_OPTIONS,
          jobId: data.id,
          ...(data === poison && { attempts: 2, backoff: { type: 'fixed', delay: 50 } }),
        },
      })),
    );

    const events: ChangeEvent[] = [];
    const subscriber = createWorkerConnection(ctx.redisUrl);
    await subscribeToChanges(subscriber, ctx.redisPrefix, (event) => events.push(event));
    const publisher = createWorkerConnection(ctx.redisUrl);
    const counting = countingInserts();
    const registry = createMetricsRegistry('batch-test');
    const written: WrittenComment[] = [];
    const worker: Worker = createCommentWorker({
      db: counting.db,
      siteContexts: createSiteContextCache(ctx.db),
      findThreads: createThreadCache(ctx.db).getMany,
      logger,
      connection: createWorkerConnection(ctx.redisUrl),
      prefix: ctx.redisPrefix,
      concurrency: 100,
      // Long enough that the 100 waiting jobs, fetched one by one, meet in one batch (it goes as soon as all 100 are in).
      batchWaitMs: 1000,
      registry,
      onCommentsWritten: async (list) => {
        written.push(...list);
        await publishChange(publisher, ctx.redisPrefix, {
          type: 'comments.written',
          comments: list.map((w) => ({ siteId: w.siteId, threadKey: w.threadKey, id: w.commentId, status: w.status })),
        });
      },
    });
    try {
      const failed = await new Promise<{ attemptsMade: number; id?: string }>((resolve) =>
        worker.on('failed', (failedJob) => {
          if (failedJob && failedJob.attemptsMade >= 2) resolve(failedJob);
        }),
      );
      expect(failed.id).toBe(poison.id);

      const good = jobs.filter((j) => j !== poison).map((j) => j.id);
      const rows = await siteComments(ctx.db, 'blog');
      expect(rows.map((r) => r.id).sort()).toEqual([...good].sort());
      // Each written once: one hook call per comment, and the good ones completed on their first attempt.
      expect(written.map((w) => w.commentId).sort()).toEqual([...good].sort());
      const completed = await queue.getJobs(['completed'], 0, -1);
      expect(completed).toHaveLength(99);
      expect(completed.every((j) => j.attemptsMade <= 1)).toBe(true);
      expect(await queue.getFailedCount()).toBe(1);
      // One batch: one INSERT for the batch, then one per row when Postgres refused it, and one per retry of the poison.
      expect(counting.inserts()).toBeLessThanOrEqual(1 + 100 + 1 + 1);
      // One change event for the batch, naming every written comment with its thread.
      await new Promise((r) => setTimeout(r, 200));
      const entries = events.flatMap((e) => (e.type === 'comments.written' ? e.comments : []));
      expect(events.length).toBe(1);
      expect(entries.map((e) => e.id).sort()).toEqual([...good].sort());
      expect(
        entries.every((e) => e.siteId === 'blog' && e.threadKey.startsWith('/artikel/') && e.status === 'approved'),
      ).toBe(true);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      subscriber.disconnect();
      publisher.disconnect();
    }
  });

  it('counts the comments of its own batch for bursts and duplicates, as if written one after the other', async () => {
    const ip = 'ip-burst';
    const copies = Array.from({ length: 6 }, (_, i) =>
      job({ ipHash: ip, body: 'Kauft billige Uhren hier, nur heute!', receivedAt: Date.now() + i }),
    );
    const results = await processCommentBatch(
      { db: ctx.db, siteContexts: createSiteContextCache(ctx.db), logger },
      copies,
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const stored = await commentRows(
      ctx.db,
      copies.map((c) => c.id),
    );
    const checksOf = (id: string) =>
      (stored.find((s) => s.id === id)!.reasons as Array<{ check: string }>).map((r) => r.check);
    expect(checksOf(copies[0]!.id)).not.toContain('duplicate');
    expect(checksOf(copies[5]!.id)).toContain('duplicate');
    expect(checksOf(copies[5]!.id)).toContain('burst');
  });

  it('reports the second of the same job in one batch as a replay, and its events are queued again', async () => {
    const once = job();
    const replayed: WrittenComment[] = [];
    const written: WrittenComment[] = [];
    const results = await processCommentBatch(
      {
        db: ctx.db,
        siteContexts: createSiteContextCache(ctx.db),
        logger,
        onCommentsWritten: async (list) => void written.push(...list),
        onCommentsReplayed: async (list) => void replayed.push(...list),
      },
      [once, once],
    );
    expect(results.map((r) => (r.ok ? r.value?.written : 'failed'))).toEqual([true, false]);
    expect(written.map((w) => w.commentId)).toEqual([once.id]);
    expect(replayed.map((w) => w.commentId)).toEqual([once.id]);
  });
});

describe('createThreadCache', () => {
  it('looks a thread up once for many comments and finds or creates a batch of threads in one statement', async () => {
    let queries = 0;
    const db = ctx.db.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const threads = createThreadCache(db);
    const found = await Promise.all(
      threads.getMany(Array.from({ length: 10 }, (_, i) => ({ siteId: 'blog', key: `/neu/${i % 3}`, title: 'Neu' }))),
    );
    expect(new Set(found.map((t) => t.id)).size).toBe(3);
    expect(queries).toBe(1);
    await threads.get({ siteId: 'blog', key: '/neu/1' });
    expect(queries).toBe(1);
    threads.invalidateSite('blog');
    expect((await threads.get({ siteId: 'blog', key: '/neu/1' })).id).toBe(found[1]!.id);
    expect(queries).toBe(2);
  });
});
