// The moderation queue shows why the spam stage decided as it did: the reasons the spam
// checks produce are stored with the comment and come back unchanged in the queue.

import { createApiKey } from '@stammtisch/db';
import { classifyComment, loadBaseModel } from '@stammtisch/spam';
import { type TestContext, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../test/helpers.js';

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
let moderatorKey: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await makeSite(ctx.db, { id: 'gruende' });
  moderatorKey = (await createApiKey(ctx.db, { siteId: 'gruende', role: 'moderator' })).key;
  api = buildApi(ctx);
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

describe('reasons in the moderation queue', () => {
  it("returns the spam checks' reasons with check, weight and detail for a held comment", async () => {
    const now = Date.now();
    const verdict = classifyComment(
      {
        body: 'Toller Beitrag! Günstige Kredite ohne Schufa, 100 % Zusage in 24 Stunden: www.kredit-billig-shop.de',
        author: { name: 'Kredit Shop', email: 'info@kredit-billig-shop.de', url: 'https://kredit-billig-shop.de' },
        renderedAt: now - 60_000,
        receivedAt: now,
      },
      { settings: {}, model: loadBaseModel(), mode: 'auto' },
    );
    // Only the text classifier is sure here, so the stage holds instead of sending it to spam.
    expect(verdict.outcome).toBe('hold');
    const { id } = await makeComment(ctx.db, {
      siteId: 'gruende',
      threadKey: '/kredit',
      status: 'pending',
      score: verdict.score,
      reasons: verdict.reasons,
    });

    const res = await api.request('/v1/moderation/queue?site=gruende&status=pending', { key: moderatorKey });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: Array<{ id: string; score: number; reasons: Array<{ check: string; weight: number; detail: string }> }>;
    };
    const item = items.find((i) => i.id === id);
    expect(item?.score).toBeCloseTo(verdict.score, 6);
    expect(item?.reasons).toEqual(verdict.reasons);
    for (const reason of item?.reasons ?? []) {
      expect(reason).toEqual({ check: expect.any(String), weight: expect.any(Number), detail: expect.any(String) });
    }
    expect(item?.reasons.map((r) => r.check)).toEqual(expect.arrayContaining(['classifier', 'policy']));
    expect(item?.reasons.find((r) => r.check === 'classifier')?.detail).toMatch(/spam-like/);
  });
});
