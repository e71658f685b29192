// Per-site thresholds follow the site's moderators: their overrides (from the audit log of
// moderation events; undone decisions left out) move the thresholds the worker decides with,
// within safe bounds, unless the owner set thresholds explicitly.

import { findModerationEvents } from '@stammtisch/db';
import { type TestContext, createTestContext, makeComment, makeSite, recordModerationEvent } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteContextCache } from '../src/site-context.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'nachsichtig', moderation: 'auto' });
  await makeSite(ctx.db, { id: 'fest', moderation: 'auto', settings: { thresholds: { hold: 0.5, spam: 0.9 } } });
});
afterAll(async () => {
  await ctx.cleanup();
});

/** `n` moderator decisions from → to on fresh comments of a site; returns the event ids. */
async function decisions(
  siteId: string,
  n: number,
  from: 'pending' | 'approved' | 'spam',
  to: 'approved' | 'spam' | 'rejected',
  actor: string | null = 'key_mod',
) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { id } = await makeComment(ctx.db, { siteId, threadKey: '/t', status: to });
    const eventId = await recordModerationEvent(ctx.db, {
      siteId,
      commentId: id,
      actorKeyId: actor,
      action: to === 'approved' ? 'approve' : to === 'spam' ? 'spam' : 'reject',
      fromStatus: from,
      toStatus: to,
    });
    ids.push(eventId);
  }
  return ids;
}

describe('thresholds that follow the moderators', () => {
  it('raises the hold threshold of a site whose moderators approve most held comments; explicit thresholds stay', async () => {
    for (const site of ['nachsichtig', 'fest']) {
      await decisions(site, 36, 'pending', 'approved');
      await decisions(site, 4, 'pending', 'spam');
    }
    // System decisions (no moderator) and undone ones do not count.
    await decisions('nachsichtig', 30, 'pending', 'spam', null);
    const undone = await decisions('nachsichtig', 20, 'pending', 'spam');
    for (const id of undone) {
      const [event] = await findModerationEvents(ctx.db, [id]);
      await recordModerationEvent(ctx.db, {
        siteId: 'nachsichtig',
        commentId: event!.commentId,
        actorKeyId: 'key_mod',
        action: 'undo',
        fromStatus: 'spam',
        toStatus: 'pending',
        undoOf: id,
      });
    }

    const cache = createSiteContextCache(ctx.db);
    const adapted = (await cache.get('nachsichtig'))?.site.settings.thresholds;
    expect(adapted?.hold).toBeGreaterThan(0.6);
    expect(adapted?.hold).toBeLessThanOrEqual(0.65);
    expect(adapted?.spam).toBe(0.9);
    expect((await cache.get('fest'))?.site.settings.thresholds).toEqual({ hold: 0.5, spam: 0.9 });
  });
});
