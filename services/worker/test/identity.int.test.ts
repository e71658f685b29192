import { createLogger } from '@stammtisch/http';
import type { CommentJob } from '@stammtisch/contract';
import {
  type TestContext,
  commentRow,
  createTestContext,
  makeSite,
  markEmailVerified,
  setCommentStatus,
} from '@stammtisch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processComment } from '../src/processors/comment.js';
import { createSiteContextCache } from '../src/site-context.js';

// How the worker treats verified authors on a site that holds first-time authors.

let ctx: TestContext;
let serial = 0;
const ISSUER = 'https://accounts.example';
const identity = (subject: string) => ({
  provider: 'Google',
  issuer: ISSUER,
  subject,
  name: 'Clara Beispiel',
  url: 'https://clara.example/',
});

function job(overrides: Partial<CommentJob> = {}): CommentJob {
  return {
    id: uuidv7(),
    siteId: 'held',
    thread: { key: '/artikel', url: 'https://blog.example/artikel', title: 'Ein Artikel' },
    author: { name: 'Typed Name', email: null, url: null },
    body: `Danke für den Artikel, das hat mir den Tag gerettet. (${++serial})`,
    renderedAt: Date.now() - 60_000,
    receivedAt: Date.now(),
    ipHash: `ip-${serial}`,
    ...overrides,
  };
}

const deps = () => ({
  db: ctx.db,
  siteContexts: createSiteContextCache(ctx.db),
  logger: createLogger({ service: 'worker-test', level: 'silent' }),
  onCommentWritten: async () => {},
});

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'held', moderation: 'auto', settings: { holdFirstTimeAuthors: true } });
});

afterAll(async () => {
  await ctx.cleanup();
});

describe('verified commenters', () => {
  it('records the verified identity and its name (not the typed one) with the comment', async () => {
    const data = job({ identity: identity('clara') });
    await processComment(deps(), data);
    const row = await commentRow(ctx.db, data.id);
    expect(row.authorName).toBe('Clara Beispiel');
    expect(row.authorUrl).toBe('https://clara.example/');
    expect(row.authorIdentity).toEqual({ provider: 'Google', issuer: ISSUER, subject: 'clara' });
  });

  it('holds a verified identity’s first comment, and skips the hold once the identity has an approved comment', async () => {
    const first = job({ identity: identity('dora') });
    expect((await processComment(deps(), first))?.status).toBe('pending');
    await setCommentStatus(ctx.db, first.id, 'approved');
    // Another email, another IP: the account is what counts.
    const second = job({ identity: identity('dora'), author: { name: 'x', email: 'new@example.org', url: null } });
    expect((await processComment(deps(), second))?.status).toBe('approved');
  });

  it('does not lend an identity’s history to an anonymous comment that types the same name', async () => {
    const anonymous = job({ author: { name: 'Clara Beispiel', email: null, url: null } });
    expect((await processComment(deps(), anonymous))?.status).toBe('pending');
  });

  it('holds an anonymous comment under a signed-in author’s name even where first-time authors are not held', async () => {
    await makeSite(ctx.db, { id: 'open-site', moderation: 'auto' });
    await processComment(deps(), job({ siteId: 'open-site', identity: identity('frida') }));
    const impostor = job({ siteId: 'open-site', author: { name: 'clara beispiel', email: null, url: null } });
    expect((await processComment(deps(), impostor))?.status).toBe('pending');
    const row = await commentRow(ctx.db, impostor.id);
    expect(row.reasons.find((r) => r.check === 'name')?.detail).toContain('signs in with Google');
  });

  it('counts an email proven by a one-time link as verified', async () => {
    await markEmailVerified(ctx.db, 'held', 'eva@example.org');
    const data = job({ author: { name: 'Eva', email: 'Eva@Example.org', url: null } });
    await processComment(deps(), data);
    const row = await commentRow(ctx.db, data.id);
    expect(row.reasons.map((r) => r.check)).toContain('verified');
  });
});
