import {
  type CommentStatus,
  type DB,
  type ModerationMode,
  type SiteSettings,
  createSite,
  findComment,
  findOrCreateThread,
  insertComment,
} from '@stammtisch/db';
import { v7 as uuidv7 } from 'uuid';

/** A site with sensible test defaults; override what the test is about. */
export async function makeSite(
  db: DB,
  overrides: { id?: string; origins?: string[]; moderation?: ModerationMode; settings?: SiteSettings } = {},
) {
  return createSite(db, {
    id: overrides.id ?? `site-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Testblog',
    origins: overrides.origins ?? ['https://blog.example'],
    moderation: overrides.moderation ?? 'post',
    settings: overrides.settings ?? {},
  });
}

/** A valid comment request body; override what the test is about. */
export function commentBody(overrides: Record<string, unknown> = {}) {
  return {
    thread: {
      key: '/2012/03/kleine-fluchten',
      url: 'https://blog.example/2012/03/kleine-fluchten',
      title: 'Kleine Fluchten',
    },
    author: { name: 'Anna', email: 'anna@example.org' },
    body: 'Schöner Text, danke! Ich gehe morgen auch mal ohne Handy spazieren.',
    ...overrides,
  };
}

let commentSerial = 0;

/** Writes a comment row directly (as the worker would), for read-side tests. */
export async function makeComment(
  db: DB,
  input: {
    siteId: string;
    threadKey: string;
    status?: CommentStatus;
    parentId?: string;
    body?: string;
    authorName?: string;
    authorEmail?: string | null;
    createdAt?: Date;
    reasons?: Array<{ check: string; weight: number; detail: string }>;
    score?: number;
  },
) {
  const thread = await findOrCreateThread(db, {
    siteId: input.siteId,
    key: input.threadKey,
    title: 'Ein Artikel',
    url: `https://blog.example${input.threadKey}`,
  });
  const parent = input.parentId ? await findComment(db, input.parentId) : undefined;
  const id = uuidv7();
  const body = input.body ?? `Kommentar Nummer ${++commentSerial}`;
  await insertComment(db, {
    id,
    siteId: input.siteId,
    threadId: thread.id,
    parentId: parent?.id ?? null,
    rootId: parent?.rootId ?? id,
    depth: parent ? parent.depth + 1 : 0,
    authorName: input.authorName ?? 'Anna',
    authorEmail: input.authorEmail === undefined ? 'anna@example.org' : input.authorEmail,
    authorUrl: null,
    authorIpHash: 'test-ip-hash',
    authorIdentity: null,
    body,
    bodyHash: `hash-${id}`,
    html: `<p>${body.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`,
    status: input.status ?? 'approved',
    score: input.score ?? 0.1,
    reasons: input.reasons ?? [{ check: 'classifier', weight: -1, detail: 'looks like a real comment' }],
    createdAt: input.createdAt ?? new Date(Date.now() + commentSerial),
    decidedAt: new Date(),
  });
  return { id, threadId: thread.id };
}
