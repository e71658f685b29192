// Learning end to end, per site: moderator decisions teach one site's classifier and no
// other, and the worker picks the lesson up once the site's cached model is invalidated
// (what the `model.changed` event does in main.ts).
//
// The decisions go through the same db function the api's decideComment uses
// (`applySpamLesson` with `featuresOf` and `lessonFor`): the api's code lives in
// services/api, which a worker test must not import.

import { applySpamLesson } from '@stammtisch/db';
import { createLogger } from '@stammtisch/http';
import type { CommentJob } from '@stammtisch/contract';
import { featuresOf, lessonFor } from '@stammtisch/spam';
import {
  type TestContext,
  createTestContext,
  latestComment,
  makeComment,
  makeSite,
  setCommentStatus,
} from '@stammtisch/testkit';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processComment } from '../src/processors/comment.js';
import { type SiteContextCache, createSiteContextCache } from '../src/site-context.js';

let ctx: TestContext;
let cache: SiteContextCache;
let serial = 0;
const logger = createLogger({ service: 'learning-test', level: 'silent' });

// A pitch for one shop that the shipped model knows nothing about (no link, no money words):
// only this site's moderators can teach it.
const PITCH = [
  'Die Zwergenwelt in Meppen hat die schönsten Gartenzwerge aus Polyresin, fragt dort nach Frau Lüders.',
  'Bei der Zwergenwelt in Meppen gibt es Gartenzwerge in allen Größen, fragt nach Frau Lüders.',
  'Gartenzwerge kauft man am besten bei der Zwergenwelt in Meppen, Frau Lüders berät euch.',
  'Frau Lüders von der Zwergenwelt in Meppen hat mir den schönsten Gartenzwerg verkauft.',
  'Wer Gartenzwerge sucht: Zwergenwelt in Meppen, einfach nach Frau Lüders fragen.',
];
const PITCH_PROBE = 'Die Zwergenwelt in Meppen hat neue Gartenzwerge, Frau Lüders zeigt sie euch gern.';

// Readers who point to their own write-up with a Markdown link: the shipped model holds these.
const LINKED = [
  'Mehr dazu in meinem Beitrag: [Link](https://radweg-blog.example/2024/nachtbus)',
  'Ich habe das ausprobiert, mein Bericht: [Link](https://radweg-blog.example/2024/fahrplan)',
  'Meine Fotos von der Strecke: [Link](https://radweg-blog.example/2024/fotos)',
  'Ausführlicher hier: [Link](https://radweg-blog.example/2024/umleitung)',
  'Dazu habe ich letztes Jahr geschrieben: [Link](https://radweg-blog.example/2023/bruecke)',
];
const LINKED_PROBE = 'Meine Erfahrungen damit: [Link](https://radweg-blog.example/2024/winter)';

function job(siteId: string, body: string): CommentJob {
  const n = ++serial;
  return {
    id: uuidv7(),
    siteId,
    thread: { key: '/garten', url: 'https://blog.example/garten', title: 'Unser Garten im Herbst' },
    // A fresh author each time: history, bursts and duplicates must not explain the scores.
    author: { name: `Leser ${n}`, email: `leser${n}@example.org`, url: null },
    body: `${body} (${n % 10})`,
    renderedAt: Date.now() - 60_000,
    receivedAt: Date.now(),
    ipHash: `ip-${n}`,
  };
}

async function decide(siteId: string, body: string) {
  const result = await processComment(
    { db: ctx.db, siteContexts: cache, logger, onCommentWritten: async () => {} },
    job(siteId, body),
  );
  if (!result) throw new Error(`site ${siteId} is missing`);
  const { id, status, score } = await latestComment(ctx.db, siteId);
  return { id, status, score };
}

/** A moderator moves a comment from one status to another; the site learns what decideComment would teach. */
async function teach(siteId: string, bodies: string[], from: 'approved' | 'pending', to: 'spam' | 'approved') {
  for (const body of bodies) {
    const { id } = await makeComment(ctx.db, {
      siteId,
      threadKey: '/garten',
      status: from,
      body,
      authorName: 'Leser',
      authorEmail: null,
    });
    await setCommentStatus(ctx.db, id, to);
    const label = lessonFor(from, to);
    if (!label) throw new Error(`${from} → ${to} teaches nothing`);
    await applySpamLesson(ctx.db, {
      siteId,
      features: featuresOf({ body, author: { name: 'Leser', email: null, url: null } }),
      label,
      delta: 1,
    });
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  for (const id of ['lern-a', 'lern-b', 'lern-c']) await makeSite(ctx.db, { id, moderation: 'auto' });
  cache = createSiteContextCache(ctx.db);
});

afterAll(async () => {
  await ctx.cleanup();
});

describe('per-site learning from moderator decisions', () => {
  it('scores a new comment like the ones marked spam higher on that site only, once the cached model is invalidated', async () => {
    const before = await decide('lern-a', PITCH_PROBE);

    await teach('lern-a', PITCH, 'approved', 'spam');

    // The worker still holds site A's old model: nothing changes until model.changed arrives (or the TTL ends).
    const stale = await decide('lern-a', PITCH_PROBE);
    expect(stale.score).toBeCloseTo(before.score, 6);

    cache.invalidate('lern-a');
    const onA = await decide('lern-a', PITCH_PROBE);
    const onB = await decide('lern-b', PITCH_PROBE);

    expect(onA.score).toBeGreaterThan(before.score);
    expect(onA.score).toBeGreaterThan(onB.score + 0.1);
    expect(['pending', 'spam']).toContain(onA.status);
    expect(before.status).toBe('approved');
    expect(onB.status).toBe('approved');
  });

  it('scores a new comment like the ones approved from the queue lower on that site only', async () => {
    const onCBefore = await decide('lern-c', LINKED_PROBE);

    await teach('lern-c', LINKED, 'pending', 'approved');
    cache.invalidate('lern-c');

    const onC = await decide('lern-c', LINKED_PROBE);
    const onB = await decide('lern-b', LINKED_PROBE);
    expect(onC.score).toBeLessThan(onCBefore.score);
    expect(onC.score).toBeLessThan(onB.score - 0.1);
    expect(onC.status).toBe('approved');
  });
});
