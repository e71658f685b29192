import { createApiKey } from '@stammtisch/db';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let ownerKey: string;
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
  await makeSite(ctx.db, { id: 'zahlen' });
  await makeSite(ctx.db, { id: 'fremd' });
  ownerKey = (await createApiKey(ctx.db, { siteId: 'zahlen', role: 'owner' })).key;
  const at = (daysAgo: number, hour = 10) => new Date(today - daysAgo * DAY + hour * 3600_000);
  const links = [{ check: 'links', weight: 2, detail: '3 links' }];
  // Two days ago: 2 approved, 1 spam (by the filter), 1 held.
  await makeComment(ctx.db, { siteId: 'zahlen', threadKey: '/a', status: 'approved', createdAt: at(2) });
  await makeComment(ctx.db, { siteId: 'zahlen', threadKey: '/a', status: 'approved', createdAt: at(2, 11) });
  await makeComment(ctx.db, {
    siteId: 'zahlen',
    threadKey: '/a',
    status: 'spam',
    createdAt: at(2, 12),
    reasons: links,
  });
  await makeComment(ctx.db, {
    siteId: 'zahlen',
    threadKey: '/a',
    status: 'pending',
    createdAt: at(2, 13),
    reasons: [{ check: 'first_time', weight: 1, detail: 'new' }],
  });
  // Yesterday: a filter spam call a moderator overturns, and a published comment a moderator marks spam.
  const wronglySpam = await makeComment(ctx.db, {
    siteId: 'zahlen',
    threadKey: '/b',
    status: 'spam',
    createdAt: at(1),
    reasons: links,
  });
  const missedSpam = await makeComment(ctx.db, {
    siteId: 'zahlen',
    threadKey: '/b',
    status: 'approved',
    createdAt: at(1, 11),
  });
  // Another site's comments never count here.
  await makeComment(ctx.db, { siteId: 'fremd', threadKey: '/x', status: 'spam', createdAt: at(1), reasons: links });
  for (const [id, action] of [
    [wronglySpam.id, 'approve'],
    [missedSpam.id, 'spam'],
  ] as const) {
    const res = await api.request(`/v1/moderation/comments/${id}/decision`, {
      method: 'POST',
      key: ownerKey,
      json: { action },
    });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

const range = (from: number, to: number, bucket = 'day') =>
  `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}&bucket=${bucket}`;

describe('GET /v1/admin/sites/{id}/stats with a time series', () => {
  it('counts comments per day by outcome and the overrides of the filter, every day present', async () => {
    const res = await api.request(`/v1/admin/sites/zahlen/stats?${range(today - 3 * DAY, today + DAY)}`, {
      key: ownerKey,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.comments).toBeDefined();
    expect(body.series).toHaveLength(4);
    const [threeAgo, twoAgo, yesterday, todays] = body.series;
    expect(threeAgo).toEqual({
      t: new Date(today - 3 * DAY).toISOString(),
      approved: 0,
      held: 0,
      spam: 0,
      rejected: 0,
      overrides: 0,
      falsePositives: 0,
      falseNegatives: 0,
      filteredSpam: 0,
    });
    expect(twoAgo).toMatchObject({ approved: 2, held: 1, spam: 1, rejected: 0, overrides: 0, filteredSpam: 1 });
    // Written yesterday: one now approved (after being filed spam), one now spam (after being published).
    expect(yesterday).toMatchObject({ approved: 1, spam: 1, filteredSpam: 1 });
    // The decisions happened today.
    expect(todays).toMatchObject({ overrides: 2, falsePositives: 1, falseNegatives: 1 });
    expect(body.heldAges.map((a: { n: number }) => a.n)).toEqual([0, 0, 0, 1, 0]);
    // Of comments held or spam now: the overturned spam call no longer counts.
    expect(body.topReasons).toEqual([
      { check: 'first_time', n: 1 },
      { check: 'links', n: 1 },
    ]);
  });

  it('buckets by the hour', async () => {
    const res = await api.request(`/v1/admin/sites/zahlen/stats?${range(today - 2 * DAY, today - DAY, 'hour')}`, {
      key: ownerKey,
    });
    const body = await res.json();
    expect(body.series).toHaveLength(24);
    expect(body.series[10]).toMatchObject({ approved: 1, t: new Date(today - 2 * DAY + 10 * 3600_000).toISOString() });
    expect(body.series[12]).toMatchObject({ spam: 1 });
  });

  it('no longer counts an override that was undone', async () => {
    const before = await (
      await api.request(`/v1/admin/sites/zahlen/stats?${range(today, today + DAY)}`, { key: ADMIN_KEY })
    ).json();
    expect(before.series[0].overrides).toBe(2);
    const audit = await (await api.request('/v1/moderation/audit?site=zahlen', { key: ADMIN_KEY })).json();
    const undone = await api.request('/v1/moderation/undo', {
      method: 'POST',
      key: ADMIN_KEY,
      json: { eventId: audit.events[0].id },
    });
    expect(undone.status).toBe(200);
    const after = await (
      await api.request(`/v1/admin/sites/zahlen/stats?${range(today, today + DAY)}`, { key: ADMIN_KEY })
    ).json();
    expect(after.series[0].overrides).toBe(1);
  });

  it('refuses half a range, a reversed one and an unknown bucket, naming the field', async () => {
    const half = await api.request(`/v1/admin/sites/zahlen/stats?from=2026-11-01`, { key: ownerKey });
    expect(half.status).toBe(400);
    const paths = (await half.json()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['to', 'bucket']));
    const reversed = await api.request(`/v1/admin/sites/zahlen/stats?from=2026-11-02&to=2026-11-01&bucket=day`, {
      key: ownerKey,
    });
    expect((await reversed.json()).error.details[0].path).toBe('to');
    const week = await api.request(`/v1/admin/sites/zahlen/stats?from=2026-11-01&to=2026-11-02&bucket=week`, {
      key: ownerKey,
    });
    expect((await week.json()).error.details[0].path).toBe('bucket');
    const notDate = await api.request(`/v1/admin/sites/zahlen/stats?from=gestern&to=2026-11-02&bucket=day`, {
      key: ownerKey,
    });
    expect((await notDate.json()).error.details[0].path).toBe('from');
    const huge = await api.request(`/v1/admin/sites/zahlen/stats?from=2000-01-01&to=2026-11-02&bucket=hour`, {
      key: ownerKey,
    });
    expect(huge.status).toBe(400);
  });

  it("answers 404 for another site's stats", async () => {
    const res = await api.request(`/v1/admin/sites/fremd/stats?${range(today - DAY, today)}`, { key: ownerKey });
    expect(res.status).toBe(404);
  });
});
