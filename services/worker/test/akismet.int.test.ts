// The Akismet-compatible outside check, against a local HTTP server that implements the
// documented comment-check protocol: form-encoded POST to /1.1/comment-check, body "true" or
// "false", "X-akismet-pro-tip: discard" for blatant spam, "invalid" plus X-akismet-debug-help
// for a bad key. Also timeouts, server errors and the circuit breaker, and the worker asking
// only about the uncertain middle and never failing a comment because of the service.

import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@stammtisch/http';
import type { CommentJob } from '@stammtisch/contract';
import { type TestContext, commentRow, createTestContext, makeSite } from '@stammtisch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AkismetComment, createAkismetClient } from '../src/akismet.js';
import { processComment } from '../src/processors/comment.js';
import { createSiteContextCache } from '../src/site-context.js';

const KEY = 'abc123def456';
let server: Server;
let endpoint: string;
/** What the fake service does next: answer by the protocol, hang, or fail. */
let mode: 'protocol' | 'hang' | 'error500' = 'protocol';
const received: Array<Record<string, string>> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (
        req.method !== 'POST' ||
        req.url !== '/1.1/comment-check' ||
        !req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
      ) {
        res.writeHead(404).end();
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(raw));
      received.push(form);
      if (mode === 'hang') return; // never answers
      if (mode === 'error500') {
        res.writeHead(500).end('internal error');
        return;
      }
      if (form.api_key !== KEY) {
        res.writeHead(200, { 'x-akismet-debug-help': 'We were unable to parse your blog URI or key' }).end('invalid');
        return;
      }
      if (!form.blog || !form.comment_content) {
        res.writeHead(200, { 'x-akismet-debug-help': 'Empty "blog" or "comment_content" value' }).end('invalid');
        return;
      }
      // Akismet's documented test triggers.
      if (form.comment_author_email === 'akismet-guaranteed-spam@example.com') {
        res.writeHead(200, { 'x-akismet-pro-tip': 'discard' }).end('true');
        return;
      }
      res.writeHead(200).end(form.comment_author === 'viagra-test-123' ? 'true' : 'false');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  mode = 'protocol';
  received.length = 0;
});

const comment = (overrides: Partial<AkismetComment> = {}): AkismetComment => ({
  blog: 'https://blog.example',
  permalink: 'https://blog.example/post',
  userIp: '',
  author: 'Anna',
  email: 'anna@example.org',
  content: 'Schöner Text, danke!',
  date: new Date('2026-12-02T10:00:00Z'),
  ...overrides,
});

describe('Akismet-compatible client', () => {
  it('speaks the comment-check protocol: form fields in, true/false and the discard pro-tip out', async () => {
    const client = createAkismetClient({ endpoint });
    expect(await client.commentCheck(KEY, comment())).toEqual({ spam: false, discard: false });
    expect(await client.commentCheck(KEY, comment({ author: 'viagra-test-123' }))).toEqual({
      spam: true,
      discard: false,
    });
    expect(await client.commentCheck(KEY, comment({ email: 'akismet-guaranteed-spam@example.com' }))).toEqual({
      spam: true,
      discard: true,
    });
    expect(received[0]).toMatchObject({
      api_key: KEY,
      blog: 'https://blog.example',
      permalink: 'https://blog.example/post',
      comment_type: 'comment',
      comment_author: 'Anna',
      comment_author_email: 'anna@example.org',
      comment_content: 'Schöner Text, danke!',
      comment_date_gmt: '2026-12-02T10:00:00.000Z',
      blog_charset: 'UTF-8',
    });
  });

  it('reports a bad key with the debug help, without opening the circuit for other sites', async () => {
    const client = createAkismetClient({ endpoint, failureThreshold: 2 });
    for (let i = 0; i < 3; i++) {
      const answer = await client.commentCheck('wrong-key-000', comment());
      expect(answer).toEqual({ unavailable: expect.stringMatching(/invalid.*unable to parse your blog URI or key/) });
    }
    expect(client.state()).toBe('closed');
    expect(await client.commentCheck(KEY, comment())).toEqual({ spam: false, discard: false });
  });

  it('gives up after the timeout, opens the circuit after repeated failures, and closes it after a good trial', async () => {
    let clock = 1_000_000;
    const client = createAkismetClient({
      endpoint,
      timeoutMs: 200,
      failureThreshold: 3,
      cooldownMs: 60_000,
      now: () => clock,
    });
    mode = 'hang';
    expect(await client.commentCheck(KEY, comment())).toEqual({ unavailable: 'no answer within 200 ms' });
    mode = 'error500';
    expect(await client.commentCheck(KEY, comment())).toEqual({ unavailable: expect.stringMatching(/answered 500/) });
    expect(client.state()).toBe('closed');
    expect(await client.commentCheck(KEY, comment())).toEqual({ unavailable: expect.stringMatching(/answered 500/) });
    expect(client.state()).toBe('open');

    // Open: no request is sent at all.
    const sent = received.length;
    expect(await client.commentCheck(KEY, comment())).toEqual({ unavailable: 'circuit open after repeated failures' });
    expect(received.length).toBe(sent);

    // After the cool-down one trial goes out; it fails, so the circuit opens again at once.
    clock += 60_001;
    expect(client.state()).toBe('half-open');
    expect((await client.commentCheck(KEY, comment())).toString()).toBeDefined();
    expect(received.length).toBe(sent + 1);
    expect(client.state()).toBe('open');

    // The service recovers: the next trial succeeds and closes the circuit.
    mode = 'protocol';
    clock += 60_001;
    expect(await client.commentCheck(KEY, comment({ author: 'viagra-test-123' }))).toEqual({
      spam: true,
      discard: false,
    });
    expect(client.state()).toBe('closed');
  });

  it('reports a refused connection as unavailable', async () => {
    const client = createAkismetClient({ endpoint: 'http://127.0.0.1:9', timeoutMs: 500 });
    expect(await client.commentCheck(KEY, comment())).toEqual({
      unavailable: expect.stringMatching(/request failed|no answer/),
    });
  });
});

describe('the worker and the outside check', () => {
  let ctx: TestContext;
  const logger = createLogger({ service: 'akismet-test', level: 'silent' });
  // Held by the local checks on the text classifier alone: the uncertain middle.
  const UNSURE = 'Günstiger Kredit ohne Schufa, sofort ausgezahlt: www.kredit-sofort.de';

  beforeAll(async () => {
    ctx = await createTestContext();
    await makeSite(ctx.db, { id: 'mit-akismet', moderation: 'auto', settings: { akismet: { key: KEY } } });
    await makeSite(ctx.db, { id: 'ohne-akismet', moderation: 'auto' });
  });
  afterAll(async () => {
    await ctx.cleanup();
  });

  const job = (siteId: string, body: string, email = 'leser@example.org'): CommentJob => {
    const id = uuidv7();
    return {
      id,
      siteId,
      thread: { key: '/geld', url: 'https://blog.example/geld', title: 'Geld' },
      author: { name: 'Leser', email, url: null },
      body,
      renderedAt: Date.now() - 60_000,
      receivedAt: Date.now(),
      // A fresh address each time: bursts must not explain the outcome.
      ipHash: `ip-${id}`,
    };
  };

  async function run(siteId: string, body: string, client: ReturnType<typeof createAkismetClient>, email?: string) {
    const deps = {
      db: ctx.db,
      siteContexts: createSiteContextCache(ctx.db),
      logger,
      onCommentWritten: async () => {},
      akismet: client,
    };
    const j = job(siteId, body, email);
    await processComment(deps, j);
    return commentRow(ctx.db, j.id);
  }

  it('asks only about held comments of sites with a key, and its answer is one more reason', async () => {
    const client = createAkismetClient({ endpoint });
    const discarded = await run('mit-akismet', UNSURE, client, 'akismet-guaranteed-spam@example.com');
    expect(discarded.status).toBe('spam');
    expect(discarded.reasons.find((r) => r.check === 'akismet')).toMatchObject({
      weight: 4,
      detail: expect.stringMatching(/blatant spam/),
    });

    const calls = received.length;
    const friendly = await run(
      'mit-akismet',
      'Danke für den Text, der Gedanke mit den kleinen Fluchten aus dem Alltag gefällt mir sehr.',
      client,
    );
    expect(friendly.status).toBe('approved');
    expect(received.length).toBe(calls); // approved locally: nobody asked

    const withoutKey = await run('ohne-akismet', UNSURE, client, 'akismet-guaranteed-spam@example.com');
    expect(withoutKey.status).toBe('pending');
    expect(withoutKey.reasons.some((r) => r.check === 'akismet')).toBe(false);
    expect(received.length).toBe(calls);
  });

  it('decides without the service when it hangs: the comment is stored, held, with a reason saying so', async () => {
    mode = 'hang';
    const client = createAkismetClient({ endpoint, timeoutMs: 200 });
    // Another wording: a repeated text would be a duplicate, which is hard evidence on its own.
    const held = await run(
      'mit-akismet',
      'Schneller Kredit ohne Schufa, heute noch ausgezahlt: www.kredit-heute.de',
      client,
      'other@example.org',
    );
    expect(held.status).toBe('pending');
    expect(held.reasons.find((r) => r.check === 'akismet')?.detail).toMatch(
      /did not answer \(no answer within 200 ms\)/,
    );
  });
});
