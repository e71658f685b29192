import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createWebhook,
  findComment,
  findWebhook,
  listWebhookDeliveries,
  recordWebhookDelivery,
  rotateWebhookSecret,
  updateWebhook,
} from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { COMMENT_JOB_OPTIONS, type CommentJob } from '@stammtisch/contract';
import { COMMENTS_QUEUE, EVENTS_QUEUE, WEBHOOKS_QUEUE, createWorkerConnection } from '@stammtisch/queue';
import { type TestContext, createTestContext, makeSite } from '@stammtisch/testkit';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueCommentWrittenEvents, queueReportedEvent } from '../src/comment-events.js';
import { type NotificationWorkers, createNotificationWorkers } from '../src/notification-workers.js';
import { deliverWebhook } from '../src/processors/webhook.js';
import { createSiteContextCache } from '../src/site-context.js';
import { createCommentWorker } from '../src/worker.js';

/** A webhook receiver as a site owner would run one: records every request; answers each path from a plan. */
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
const plans = new Map<string, number[]>();
let receiver: http.Server;
let receiverUrl: string;

let ctx: TestContext;
let connection: Redis;
let commentsQueue: Queue;
let eventsQueue: Queue;
let webhooksQueue: Queue;
let commentWorker: Worker;
let notifications: NotificationWorkers;
const logger = createLogger({ service: 'webhooks-test', level: 'silent' });
let serial = 0;

/** Verifies a delivery exactly as the Standard Webhooks spec tells receivers to. */
function verifySignature(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const id = String(headers['webhook-id']);
  const timestamp = String(headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 5 * 60) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      if (version !== 'v1' || !signature) return false;
      const given = Buffer.from(signature, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

function commentJob(overrides: Partial<CommentJob> = {}): CommentJob {
  serial++;
  return {
    id: uuidv7(),
    siteId: 'blog',
    thread: { key: '/artikel', url: 'https://blog.example/artikel', title: 'Ein Artikel' },
    author: { name: 'Anna', email: 'anna@example.org', url: null },
    body: `Danke für den Artikel, das hat mir den Tag gerettet. (${serial})`,
    renderedAt: Date.now() - 60_000,
    receivedAt: Date.now(),
    ipHash: `iphash-${serial}`,
    ...overrides,
  };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function busy(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function addWebhook(path: string, events: Parameters<typeof createWebhook>[1]['events'], siteId = 'blog') {
  const secret = `whsec_${Buffer.from(`test-secret-${path}-0123456789`).toString('base64')}`;
  const webhook = await createWebhook(ctx.db, { siteId, url: `${receiverUrl}${path}`, events, secret });
  return { ...webhook, secret };
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const plan = plans.get(path) ?? [];
      const status = plan.length > 1 ? plan.shift()! : (plan[0] ?? 200);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog', moderation: 'post' });
  await makeSite(ctx.db, { id: 'other', moderation: 'post' });
  connection = createWorkerConnection(ctx.redisUrl);
  commentsQueue = new Queue(COMMENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
  eventsQueue = new Queue(EVENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
  webhooksQueue = new Queue(WEBHOOKS_QUEUE, { connection, prefix: ctx.redisPrefix });
  notifications = createNotificationWorkers({
    db: ctx.db,
    logger,
    connection: createWorkerConnection(ctx.redisUrl),
    prefix: ctx.redisPrefix,
    webhooksQueue,
    emailsQueue: null,
    mailer: null,
    publicApiUrl: 'http://api.test',
    // The receiver is on 127.0.0.1: tests allow private addresses, as WEBHOOK_ALLOW_PRIVATE does.
    allowPrivate: true,
    webhookConcurrency: 5,
    disableAfter: 2,
    webhookJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 100 }, removeOnComplete: true },
  });
  commentWorker = createCommentWorker({
    db: ctx.db,
    siteContexts: createSiteContextCache(ctx.db),
    logger,
    connection: createWorkerConnection(ctx.redisUrl),
    prefix: ctx.redisPrefix,
    concurrency: 2,
    registry: createMetricsRegistry('webhooks-test'),
    onCommentWritten: (written) => queueCommentWrittenEvents({ db: ctx.db, eventsQueue, emailsQueue: null }, written),
    onReported: (report) => queueReportedEvent({ eventsQueue }, report),
  });
});

afterAll(async () => {
  await commentWorker.close();
  await notifications.close();
  await Promise.all([commentsQueue.close(), eventsQueue.close(), webhooksQueue.close()]);
  await connection.quit();
  await new Promise((resolve) => receiver.close(resolve));
  await ctx.cleanup();
});

describe('webhook deliveries', () => {
  it('posts comment.received and comment.approved for a new comment, signed per Standard Webhooks, with no email or IP in the body', async () => {
    const hook = await addWebhook('/all', ['comment.received', 'comment.approved']);
    const job = commentJob({ body: 'Ein schöner Text über kleine Fluchten.' });
    await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });

    const deliveries = await until('two deliveries', async () => {
      const mine = received.filter((r) => r.path === '/all' && r.body.includes(job.id));
      return mine.length >= 2 && mine;
    });
    const types = deliveries.map((d) => JSON.parse(d.body).type).sort();
    expect(types).toEqual(['comment.approved', 'comment.received']);
    for (const delivery of deliveries) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
      expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verifySignature(hook.secret, delivery.headers, delivery.body)).toBe(true);
      // A tampered body fails verification.
      expect(verifySignature(hook.secret, delivery.headers, delivery.body.replace('schöner', 'schlechter'))).toBe(
        false,
      );
      const payload = JSON.parse(delivery.body);
      expect(Number.isNaN(Date.parse(payload.timestamp))).toBe(false);
      expect(payload.data).toMatchObject({
        id: job.id,
        site: 'blog',
        thread: { key: '/artikel' },
        author: { name: 'Anna' },
        body: job.body,
        status: 'approved',
      });
      expect(payload.data.html).toContain('<p>');
      expect(typeof payload.data.score).toBe('number');
      expect(delivery.body).not.toContain('anna@example.org');
      expect(delivery.body).not.toContain(job.ipHash);
      expect(payload.data.author).not.toHaveProperty('email');
    }
    // Distinct events, distinct ids.
    expect(new Set(deliveries.map((d) => d.headers['webhook-id'])).size).toBe(2);
  });

  it('sends only the events a webhook subscribed to, only for its own site', async () => {
    await addWebhook('/held-only', ['comment.held']);
    await addWebhook('/other-site', ['comment.received'], 'other');
    const job = commentJob();
    await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });
    // The comment is approved: /all hears of it; /held-only and /other-site must not.
    await until('delivery to /all', async () => received.some((r) => r.path === '/all' && r.body.includes(job.id)));
    await until('events processed', async () => (await busy(eventsQueue)) + (await busy(webhooksQueue)) === 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(
      received.filter((r) => (r.path === '/held-only' || r.path === '/other-site') && r.body.includes(job.id)),
    ).toHaveLength(0);
  });

  it('retries a failed delivery with backoff: 500 twice, then 200 makes three attempts, logged, with the same webhook-id', async () => {
    const hook = await addWebhook('/flaky', ['comment.approved']);
    plans.set('/flaky', [500, 500, 200]);
    const job = commentJob();
    await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });

    const delivery = await until('a succeeded delivery', async () =>
      (await listWebhookDeliveries(ctx.db, hook.id, 10)).find((d) => d.status === 'succeeded'),
    );
    expect(delivery.attempts).toBe(3);
    expect(delivery.responseCode).toBe(200);
    expect(delivery.attemptLog.map((a) => a.responseCode)).toEqual([500, 500, 200]);
    const requests = received.filter((r) => r.path === '/flaky');
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const r of requests) expect(verifySignature(hook.secret, r.headers, r.body)).toBe(true);
    // The attempts were spread out, not fired at once (backoff 100 ms, then 200 ms).
    const times = delivery.attemptLog.map((a) => Date.parse(a.at));
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(250);
    expect((await findWebhook(ctx.db, hook.id))?.consecutiveFailures).toBe(0);
  });

  it('never delivers an event twice when the comment job or the event is replayed', async () => {
    await addWebhook('/once', ['comment.received']);
    const job = commentJob();
    await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });
    await until('the first delivery', async () => received.some((r) => r.path === '/once' && r.body.includes(job.id)));
    // A replay of the comment job under another job id, and a replay of the events themselves.
    await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: `${job.id}-replay` });
    await queueCommentWrittenEvents(
      { db: ctx.db, eventsQueue, emailsQueue: null },
      { siteId: 'blog', commentId: job.id, status: 'approved' },
    );
    await new Promise((r) => setTimeout(r, 1000));
    await until('queues idle', async () => (await busy(eventsQueue)) + (await busy(webhooksQueue)) === 0);
    expect(received.filter((r) => r.path === '/once' && r.body.includes(job.id))).toHaveLength(1);
  });

  it('signs with both the new and the old secret during the grace period after a rotation', async () => {
    const hook = await addWebhook('/rotated', ['comment.received']);
    const newSecret = `whsec_${Buffer.from('the-new-secret-0123456789abcdef').toString('base64')}`;
    await rotateWebhookSecret(ctx.db, hook.id, newSecret, new Date(Date.now() + 24 * 3600 * 1000));
    const job = commentJob();
    await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });
    const delivery = await until('a delivery', async () =>
      received.find((r) => r.path === '/rotated' && r.body.includes(job.id)),
    );
    expect(String(delivery.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifySignature(newSecret, delivery.headers, delivery.body)).toBe(true);
    expect(verifySignature(hook.secret, delivery.headers, delivery.body)).toBe(true);
  });

  it('sends comment.reported when a reader report is recorded', async () => {
    await addWebhook('/reports', ['comment.reported']);
    const job = commentJob();
    await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });
    await until('the comment', async () => findComment(ctx.db, job.id));
    const reportId = uuidv7();
    await commentsQueue.add(
      'report',
      {
        id: reportId,
        siteId: 'blog',
        commentId: job.id,
        reason: 'abuse',
        note: null,
        ipHash: 'reader-1',
        receivedAt: Date.now(),
      },
      { ...COMMENT_JOB_OPTIONS, jobId: reportId },
    );
    const delivery = await until('a reported delivery', async () =>
      received.find((r) => r.path === '/reports' && r.body.includes(job.id)),
    );
    const payload = JSON.parse(delivery.body);
    expect(payload.type).toBe('comment.reported');
    expect(payload.data.reports).toBe(1);
  });

  it('disables a webhook after deliveries keep failing through every retry, and sends it nothing more', async () => {
    const hook = await addWebhook('/dead', ['comment.received']);
    plans.set('/dead', [503]);
    for (let i = 0; i < 2; i++) {
      const job = commentJob();
      await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });
    }
    const disabled = await until('the webhook disabled', async () => {
      const row = await findWebhook(ctx.db, hook.id);
      return row && !row.enabled && row;
    });
    expect(disabled.disabledReason).toMatch(/2 deliveries in a row failed/);
    const deliveries = await listWebhookDeliveries(ctx.db, hook.id, 10);
    expect(deliveries.map((d) => [d.status, d.attempts])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    const before = received.filter((r) => r.path === '/dead').length;
    expect(before).toBe(6);
    const later = commentJob();
    await commentsQueue.add('comment', later, { ...COMMENT_JOB_OPTIONS, jobId: later.id });
    await until('the later comment delivered elsewhere', async () =>
      received.some((r) => r.path === '/all' && r.body.includes(later.id)),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(received.filter((r) => r.path === '/dead')).toHaveLength(before);
  });

  it('refuses at delivery time to send to a loopback address unless private addresses are allowed', async () => {
    // Subscribed to an event no test fires: only the delivery made by hand below concerns it.
    const hook = await addWebhook('/never', ['comment.rejected']);
    const deliveryId = await recordWebhookDelivery(ctx.db, {
      webhookId: hook.id,
      eventId: `msg_manual_${uuidv7()}`,
      eventType: 'comment.rejected',
      payload: '{}',
    });
    await expect(
      deliverWebhook(
        { db: ctx.db, logger, allowPrivate: false, disableAfter: 5 },
        { deliveryId: deliveryId!, webhookId: hook.id },
        { number: 1, last: false },
      ),
    ).rejects.toThrow(/private/);
    const row = (await listWebhookDeliveries(ctx.db, hook.id, 10)).find((d) => d.id === deliveryId);
    expect(row?.lastError).toMatch(/private/);
    expect(row?.status).toBe('pending');
    // Also for a name that resolves to loopback (the check is on the resolved address, at connect time).
    await updateWebhook(ctx.db, hook.id, { url: receiverUrl.replace('127.0.0.1', 'localhost') + '/never' });
    await expect(
      deliverWebhook(
        { db: ctx.db, logger, allowPrivate: false, disableAfter: 5 },
        { deliveryId: deliveryId!, webhookId: hook.id },
        { number: 2, last: false },
      ),
    ).rejects.toThrow(/private/);
    expect(received.filter((r) => r.path === '/never')).toHaveLength(0);
  });
});
