import type { AddressInfo } from 'node:net';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { COMMENT_JOB_OPTIONS, type CommentJob } from '@stammtisch/contract';
import { COMMENTS_QUEUE, EMAILS_QUEUE, EVENTS_QUEUE, WEBHOOKS_QUEUE, createWorkerConnection } from '@stammtisch/queue';
import { type TestContext, createTestContext, makeSite } from '@stammtisch/testkit';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Worker and api together: the worker sends the mails, the api serves their links (the test clicks them there).
import { emailRoutes } from '../services/api/src/reads/email-link-routes.js';
import { createMailer } from '@stammtisch/mail';
import { queueCommentWrittenEvents } from '../services/worker/src/comment-events.js';
import { type NotificationWorkers, createNotificationWorkers } from '../services/worker/src/notification-workers.js';
import { createSiteContextCache } from '../services/worker/src/site-context.js';
import { createCommentWorker } from '../services/worker/src/worker.js';

interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: string;
}

const PUBLIC_API_URL = 'http://api.test';
const mails: Mail[] = [];
let smtp: SMTPServer;
let ctx: TestContext;
let connection: Redis;
let commentsQueue: Queue;
let eventsQueue: Queue;
let webhooksQueue: Queue;
let emailsQueue: Queue;
let commentWorker: Worker;
let notifications: NotificationWorkers;
let api: ReturnType<typeof emailRoutes>;
const logger = createLogger({ service: 'email-test', level: 'silent' });
let serial = 0;

// --- a small reader for what nodemailer writes (headers, multipart/alternative, quoted-printable/base64) ---
function header(head: string, name: string): string {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return unfolded.match(new RegExp(`^${name}:\\s*(.*)$`, 'im'))?.[1]?.trim() ?? '';
}
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')),
    );
}
function decodeQp(text: string): string {
  const bytes: number[] = [];
  const flat = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === '=' && /^[0-9A-F]{2}$/i.test(flat.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(flat[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
function decodeBody(head: string, body: string): string {
  const encoding = header(head, 'Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQp(body);
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}
function parseMail(raw: string, to: string[]): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const mail: Mail = {
    to,
    subject: decodeWords(header(head, 'Subject')),
    text: '',
    html: '',
    headers: head.replace(/\r?\n[ \t]+/g, ' '),
  };
  const boundary = header(head, 'Content-Type').match(/boundary="?([^";]+)"?/)?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const part of parts) {
    const p = part.replace(/^\r\n/, '');
    const at = p.indexOf('\r\n\r\n');
    const partHead = p.slice(0, at);
    const content = decodeBody(partHead, p.slice(at + 4));
    if (/text\/plain/i.test(header(partHead, 'Content-Type'))) mail.text = content;
    if (/text\/html/i.test(header(partHead, 'Content-Type'))) mail.html = content;
  }
  return mail;
}

function commentJob(overrides: Partial<CommentJob> = {}): CommentJob {
  serial++;
  return {
    id: uuidv7(),
    siteId: 'blog',
    thread: { key: '/kleine-fluchten', url: 'https://blog.example/kleine-fluchten', title: 'Kleine Fluchten' },
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

async function post(job: CommentJob): Promise<void> {
  await commentsQueue.add('comment', job, { ...COMMENT_JOB_OPTIONS, jobId: job.id });
}

/** Waits until the mail job with this id ran, and tells whether it sent or skipped. */
async function mailJobOutcome(jobId: string): Promise<string> {
  return until(`mail job ${jobId}`, async () => {
    if ((await emailsQueue.getJobState(jobId)) !== 'completed') return null;
    // Read the job after it completed: a copy read while it ran has no return value yet.
    return String((await emailsQueue.getJob(jobId))?.returnvalue);
  });
}

function mailTo(address: string, subject: RegExp, after = 0): Promise<Mail> {
  return until(`a mail to ${address} with subject ${subject}`, async () =>
    mails.slice(after).find((m) => m.to.includes(address) && subject.test(m.subject)),
  );
}

function pathOf(url: string): string {
  expect(url.startsWith(`${PUBLIC_API_URL}/`)).toBe(true);
  return url.slice(PUBLIC_API_URL.length);
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(
          parseMail(
            Buffer.concat(chunks).toString('utf8'),
            session.envelope.rcptTo.map((r) => r.address),
          ),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'blog', moderation: 'post' });
  await makeSite(ctx.db, {
    id: 'strict',
    moderation: 'pre',
    settings: { notifyEmails: ['mod@blog.example', 'chefin@blog.example'] },
  });
  await makeSite(ctx.db, {
    id: 'english',
    moderation: 'pre',
    settings: { locale: 'en', notifyEmails: ['mod@english.example'] },
  });
  connection = createWorkerConnection(ctx.redisUrl);
  commentsQueue = new Queue(COMMENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
  eventsQueue = new Queue(EVENTS_QUEUE, { connection, prefix: ctx.redisPrefix });
  webhooksQueue = new Queue(WEBHOOKS_QUEUE, { connection, prefix: ctx.redisPrefix });
  emailsQueue = new Queue(EMAILS_QUEUE, { connection, prefix: ctx.redisPrefix });
  notifications = createNotificationWorkers({
    db: ctx.db,
    logger,
    connection: createWorkerConnection(ctx.redisUrl),
    prefix: ctx.redisPrefix,
    webhooksQueue,
    emailsQueue,
    mailer: createMailer({ smtpUrl, from: 'Stammtisch <no-reply@blog.example>', logger }),
    publicApiUrl: PUBLIC_API_URL,
    allowPrivate: false,
    webhookConcurrency: 2,
    disableAfter: 5,
  });
  commentWorker = createCommentWorker({
    db: ctx.db,
    siteContexts: createSiteContextCache(ctx.db),
    logger,
    connection: createWorkerConnection(ctx.redisUrl),
    prefix: ctx.redisPrefix,
    concurrency: 2,
    registry: createMetricsRegistry('email-test'),
    onCommentWritten: (written) => queueCommentWrittenEvents({ db: ctx.db, eventsQueue, emailsQueue }, written),
  });
  api = emailRoutes({ db: ctx.db });
});

afterAll(async () => {
  await commentWorker.close();
  await notifications.close();
  await Promise.all([commentsQueue.close(), eventsQueue.close(), webhooksQueue.close(), emailsQueue.close()]);
  await connection.quit();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await ctx.cleanup();
});

describe('reply notifications by email', () => {
  it('asks first (double opt-in), mails replies once confirmed, and stops after the one-click unsubscribe link', async () => {
    const anna = commentJob({
      author: { name: 'Anna', email: 'Anna@Example.org' },
      notify: true,
      body: 'Ich gehe morgen auch mal ohne Handy spazieren.',
    });
    await post(anna);

    // 1. The confirmation mail, in German (the default).
    const confirm = await mailTo('anna@example.org', /Bitte bestätigen/);
    expect(confirm.subject).toBe('Bitte bestätigen: Benachrichtigung über Antworten – Testblog');
    expect(confirm.text).toContain('„Kleine Fluchten“');
    const confirmUrl = confirm.text.match(/http:\/\/api\.test\/v1\/email\/confirm\?token=[\w-]+/)?.[0];
    expect(confirmUrl).toBeDefined();

    // 2. A reply before confirming sends nothing.
    const early = commentJob({
      parentId: anna.id,
      author: { name: 'Ben', email: 'ben@example.org' },
      body: 'Gute Idee, mache ich auch.',
    });
    await until('Anna’s comment written', async () =>
      ctx.db.selectFrom('comments').select('id').where('id', '=', anna.id).executeTakeFirst(),
    );
    await post(early);
    expect(await mailJobOutcome(`reply_${early.id}`)).toBe('skipped');

    // 3. Confirm by opening the link on the api.
    const confirmed = await api.request(pathOf(confirmUrl!));
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Bestätigt');

    // 4. The next reply is mailed, with a working unsubscribe link and the one-click headers.
    const before = mails.length;
    const reply = commentJob({
      parentId: anna.id,
      author: { name: 'Ben', email: 'ben@example.org' },
      body: 'Und danach ein *Eis* am See!',
    });
    await post(reply);
    const notice = await mailTo('anna@example.org', /Neue Antwort/, before);
    expect(notice.subject).toBe('Neue Antwort auf Ihren Kommentar – Testblog');
    expect(notice.text).toContain('Hallo Anna,');
    expect(notice.text).toContain('Ben hat auf Ihren Kommentar zu „Kleine Fluchten“ geantwortet:');
    expect(notice.text).toContain('Und danach ein *Eis* am See!');
    expect(notice.text).toContain('https://blog.example/kleine-fluchten');
    expect(notice.html).toContain('Abmelden');
    expect(notice.text).not.toContain('ben@example.org');
    const unsubscribeUrl = notice.text.match(/http:\/\/api\.test\/v1\/email\/unsubscribe\?token=[\w-]+/)?.[0];
    expect(unsubscribeUrl).toBeDefined();
    expect(notice.headers).toMatch(new RegExp(`^List-Unsubscribe: <${unsubscribeUrl!.replace(/[?.]/g, '\\$&')}>`, 'm'));
    expect(notice.headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

    // 5. Unsubscribe by clicking the link: later replies send nothing.
    const unsubscribed = await api.request(pathOf(unsubscribeUrl!));
    expect(unsubscribed.status).toBe(200);
    expect(await unsubscribed.text()).toContain('Abgemeldet');
    const later = commentJob({
      parentId: anna.id,
      author: { name: 'Cem', email: 'cem@example.org' },
      body: 'Ich komme mit zum See.',
    });
    await post(later);
    expect(await mailJobOutcome(`reply_${later.id}`)).toBe('skipped');
    expect(mails.filter((m) => m.to.includes('anna@example.org'))).toHaveLength(2);
  });

  it('unsubscribes with the RFC 8058 one-click POST too, and mails nobody about their own replies', async () => {
    const dora = commentJob({ author: { name: 'Dora', email: 'dora@example.org' }, notify: true });
    await post(dora);
    const confirm = await mailTo('dora@example.org', /Bitte bestätigen/);
    const token = confirm.text.match(/confirm\?token=([\w-]+)/)?.[1];
    expect((await api.request(`/v1/email/confirm?token=${token}`)).status).toBe(200);

    const own = commentJob({
      parentId: dora.id,
      author: { name: 'Dora', email: 'dora@example.org' },
      body: 'Nachtrag von mir selbst.',
    });
    await post(own);
    expect(await mailJobOutcome(`reply_${own.id}`)).toBe('skipped');

    const res = await api.request(`/v1/email/unsubscribe?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const reply = commentJob({ parentId: dora.id, author: { name: 'Emil', email: 'emil@example.org' } });
    await post(reply);
    expect(await mailJobOutcome(`reply_${reply.id}`)).toBe('skipped');
  });

  it('sends nothing to an author who did not tick the box', async () => {
    const quiet = commentJob({ author: { name: 'Frieda', email: 'frieda@example.org' } });
    await post(quiet);
    const reply = commentJob({ parentId: quiet.id, author: { name: 'Gero', email: 'gero@example.org' } });
    await until('Frieda’s comment written', async () =>
      ctx.db.selectFrom('comments').select('id').where('id', '=', quiet.id).executeTakeFirst(),
    );
    await post(reply);
    expect(await mailJobOutcome(`reply_${reply.id}`)).toBe('skipped');
    expect(mails.filter((m) => m.to.includes('frieda@example.org'))).toHaveLength(0);
  });
});

describe('held-comment notices for moderators', () => {
  it('mails the site’s notification addresses when a comment is held, with a link to the moderation page and no commenter email', async () => {
    const held = commentJob({
      siteId: 'strict',
      author: { name: 'Hanna', email: 'hanna@example.org' },
      body: 'Ein Kommentar, der auf Freigabe wartet.',
    });
    await post(held);
    const notice = await mailTo('mod@blog.example', /Freigabe/);
    expect(notice.to).toEqual(expect.arrayContaining(['mod@blog.example', 'chefin@blog.example']));
    expect(notice.subject).toBe('Kommentar wartet auf Freigabe – Testblog');
    expect(notice.text).toContain('Ein Kommentar von Hanna zu „Kleine Fluchten“ wartet auf Ihre Freigabe.');
    expect(notice.text).toContain('Ein Kommentar, der auf Freigabe wartet.');
    expect(notice.text).toContain('http://api.test/moderate?site=strict');
    expect(notice.text + notice.html).not.toContain('hanna@example.org');
  });

  it('writes in English when the site’s locale is English', async () => {
    const held = commentJob({
      siteId: 'english',
      author: { name: 'Ida', email: 'ida@example.org' },
      body: 'A comment waiting for approval.',
    });
    await post(held);
    const notice = await mailTo('mod@english.example', /approval/);
    expect(notice.subject).toBe('Comment waiting for approval – Testblog');
    expect(notice.text).toContain('A comment by Ida on “Kleine Fluchten” is waiting for your approval.');
  });
});
