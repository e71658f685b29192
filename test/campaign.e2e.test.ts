import {
  type RunningService,
  type TestContext,
  createTestContext,
  eventually,
  startService,
} from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A spam wave across the installation, end to end with the three real processes: moderators
// on two sites mark variants of one pitch as spam, and the third site's spam stage sends the
// next variant to spam at first sight, saying why — while its moderators see nothing of the
// other sites' comments (only hashes and fingerprints are shared).

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
let ctx: TestContext;
let ingest: RunningService;
let worker: RunningService;
let api: RunningService;
const keys: Record<string, string> = {};

// One pitch in three variants: another first name, number, greeting and link path each time.
const WAVE = [
  {
    site: 'welle-a',
    author: 'Bernd Kowalski',
    email: 'bernd@mail-a.example',
    body: 'Hallo zusammen, ich habe bei Frau Lüders in Meppen 12 Gartenzwerge aus Polyresin gekauft, die schönsten weit und breit! Schaut mal bei https://zwergenwelt-meppen.example/angebot vorbei',
  },
  {
    site: 'welle-b',
    author: 'Carla Nowak',
    email: 'carla@mail-b.example',
    body: 'Hallo ihr Lieben, ich habe bei Frau Lüders in Meppen 15 Gartenzwerge aus Polyresin gekauft, die schönsten weit und breit!! Schaut mal bei https://zwergenwelt-meppen.example/sommer vorbei',
  },
];
const THIRD = {
  site: 'welle-c',
  author: 'Dieter',
  email: 'dieter@mail-c.example',
  body: 'Hallo zusammen, ich habe bei Frau Lüders in Meppen 20 Gartenzwerge aus Polyresin gekauft, die schönsten weit und breit. Schaut mal bei https://zwergenwelt-meppen.example/neu vorbei',
};

async function admin(path: string, body: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return res.json();
}

async function post(site: string, author: string, email: string, body: string): Promise<string> {
  const res = await fetch(`${ingest.url}/v1/sites/${site}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `https://${site}.example` },
    body: JSON.stringify({
      thread: { key: '/garten', url: `https://${site}.example/garten`, title: 'Der Garten im Herbst' },
      author: { name: author, email },
      body,
      renderedAt: Date.now() - 60_000,
    }),
  });
  expect(res.status).toBe(202);
  return (await res.json()).id;
}

interface QueueItem {
  id: string;
  site: string;
  status: string;
  body: string;
  reasons: Array<{ check: string; weight: number; detail: string }>;
}

/** Waits until the worker has stored the comment, then returns it as the site's moderators see it. */
async function decided(site: string, id: string): Promise<QueueItem> {
  return eventually(
    async () => {
      for (const status of ['pending', 'spam', 'approved']) {
        const res = await fetch(`${api.url}/v1/moderation/queue?site=${site}&status=${status}`, {
          headers: { authorization: `Bearer ${keys[site]}` },
        });
        const { items } = (await res.json()) as { items: QueueItem[] };
        const item = items.find((i) => i.id === id);
        if (item) return item;
      }
      return undefined;
    },
    { timeoutMs: 30_000, message: `comment ${id} on ${site} was never stored` },
  );
}

beforeAll(async () => {
  ctx = await createTestContext();
  const env = { DATABASE_URL: ctx.databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: ctx.redisPrefix, ADMIN_KEY };
  // The shared test machine is slow to start three processes: give them time.
  const options = { timeoutMs: 100_000 };
  [ingest, worker, api] = await Promise.all([
    startService('ingest', env, options),
    startService('worker', env, options),
    startService('api', env, options),
  ]);
  for (const site of ['welle-a', 'welle-b', 'welle-c', 'welle-d']) {
    await admin('/v1/admin/sites', { id: site, name: site, origins: [`https://${site}.example`], moderation: 'auto' });
    keys[site] = (await admin(`/v1/admin/sites/${site}/keys`, { role: 'moderator' })).key;
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([ingest, worker, api].map((s) => s?.stop()));
  await ctx.cleanup();
});

describe('a spam campaign across sites', () => {
  it('sends the third variant to spam at first sight, with a campaign reason, and shows nothing of the other sites', async () => {
    // Before any moderator has spoken, the pitch is not spam by its text alone (control, on a fourth site).
    const control = await decided('welle-d', await post('welle-d', 'Erna', 'erna@mail-d.example', THIRD.body));
    expect(control.status).not.toBe('spam');
    expect(control.reasons.some((r) => r.check === 'campaign')).toBe(false);

    // Moderators on two sites mark their variants spam.
    for (const wave of WAVE) {
      const id = await post(wave.site, wave.author, wave.email, wave.body);
      await decided(wave.site, id);
      const res = await fetch(`${api.url}/v1/moderation/comments/${id}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys[wave.site]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'spam' }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).status).toBe('spam');
    }

    const id = await post(THIRD.site, THIRD.author, THIRD.email, THIRD.body);
    const item = await decided(THIRD.site, id);
    expect(item.status).toBe('spam');
    const campaign = item.reasons.filter((r) => r.check === 'campaign');
    expect(campaign.map((r) => r.detail).join(' ')).toMatch(
      /near copy of this text was marked spam by moderators on 2 sites/,
    );
    expect(item.reasons.find((r) => r.check === 'policy')?.detail).toMatch(/campaign/);

    // The third site's moderators see their own comment and nothing of the first two sites'.
    const seen = JSON.stringify(
      await Promise.all(
        ['pending', 'spam', 'approved', 'rejected'].map(async (status) =>
          (
            await fetch(`${api.url}/v1/moderation/queue?site=welle-c&status=${status}`, {
              headers: { authorization: `Bearer ${keys['welle-c']}` },
            })
          ).json(),
        ),
      ),
    );
    for (const wave of WAVE) {
      for (const secret of [wave.author, wave.email, wave.site, 'Kowalski', '/angebot', '/sommer', 'ihr Lieben'])
        expect(seen).not.toContain(secret);
    }
    const other = await fetch(`${api.url}/v1/moderation/queue?site=welle-a&status=spam`, {
      headers: { authorization: `Bearer ${keys['welle-c']}` },
    });
    expect(other.status).toBeGreaterThanOrEqual(400);

    // What is shared holds no text: values and fingerprints are hashes (no word of the pitch in them).
    const rows = await ctx.db.selectFrom('spamSignals').select(['kind', 'value', 'fingerprint']).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(`${row.value} ${row.fingerprint ?? ''}`).not.toMatch(
        /zwerg|meppen|lueders|lüders|bernd|carla|mail-|garten/i,
      );
      expect(row.value).toMatch(/^(?:t\d+:[0-9a-f]{16}|[A-Za-z0-9_-]{22})$/);
    }
  }, 120_000);
});
