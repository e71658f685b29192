import { randomBytes } from 'node:crypto';
import { createApiKey, createWebhook, findKey, hashApiKey, revokeKey, upsertBan } from '@stammtisch/db';
import { type TestContext, commentRow, createTestContext, makeComment, makeSite } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, buildApi } from '../../test/helpers.js';

// Every admin and moderation endpoint × every kind of caller. Only the roles
// a row names pass; keys of another site see this site's objects as missing
// (404), never as forbidden, so ids leak nothing.

type Who = 'none' | 'revoked' | 'otherModerator' | 'moderator' | 'owner' | 'admin';
type Role = 'moderator' | 'owner' | 'admin';
const CALLERS: Who[] = ['none', 'revoked', 'otherModerator', 'moderator', 'owner', 'admin'];

interface Call {
  path: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}
interface Row {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Builds the request; runs once per caller so destructive rows get a fresh object each time. */
  call: () => Promise<Call>;
  allowed: Role[];
  /** What a moderator of another site gets (default 404). */
  otherSite?: number;
  /** The row's object belongs to no site key's site: every site key gets 404. */
  foreign?: boolean;
  /** Only these callers (for rows whose success would destroy the fixture). */
  callers?: Who[];
}

let ctx: TestContext;
let api: ReturnType<typeof buildApi>;
const keys = {} as Record<Who, string | undefined>;
const A = 'zugang-a';
const B = 'zugang-b';

beforeAll(async () => {
  ctx = await createTestContext();
  api = buildApi(ctx);
  await makeSite(ctx.db, { id: A, moderation: 'pre' });
  await makeSite(ctx.db, { id: B });
  keys.none = undefined;
  const revoked = await createApiKey(ctx.db, { siteId: A, role: 'owner' });
  await revokeKey(ctx.db, revoked.id);
  keys.revoked = revoked.key;
  keys.otherModerator = (await createApiKey(ctx.db, { siteId: B, role: 'moderator' })).key;
  keys.moderator = (await createApiKey(ctx.db, { siteId: A, role: 'moderator' })).key;
  keys.owner = (await createApiKey(ctx.db, { siteId: A, role: 'owner' })).key;
  keys.admin = ADMIN_KEY;
});
afterAll(async () => {
  await api.close();
  await ctx.cleanup();
});

const pending = async () =>
  (await makeComment(ctx.db, { siteId: A, threadKey: '/zugang', status: 'pending', authorEmail: 'leser@example.org' }))
    .id;
const webhook = async () =>
  (
    await createWebhook(ctx.db, {
      siteId: A,
      url: 'https://93.184.216.34/hook',
      events: ['comment.approved'],
      secret: `whsec_${randomBytes(24).toString('base64')}`,
    })
  ).id;
const rnd = () => randomBytes(4).toString('hex');

const ROWS: Row[] = [
  {
    name: 'create a site',
    method: 'POST',
    call: async () => ({
      path: '/v1/admin/sites',
      json: { id: `neu-${rnd()}`, name: 'Neu', origins: ['https://neu.example'], moderation: 'auto' },
    }),
    allowed: ['admin'],
    otherSite: 403,
  },
  {
    name: 'read a site',
    method: 'GET',
    call: async () => ({ path: `/v1/admin/sites/${A}` }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'change a site',
    method: 'PATCH',
    call: async () => ({ path: `/v1/admin/sites/${A}`, json: { name: 'Zugang A' } }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'delete a site',
    method: 'DELETE',
    // A fresh site each time: for every site-bound key it is another site.
    call: async () => {
      const id = `weg-${rnd()}`;
      await makeSite(ctx.db, { id });
      return { path: `/v1/admin/sites/${id}` };
    },
    allowed: ['admin'],
    foreign: true,
  },
  {
    name: 'delete this site (its moderator may not)',
    method: 'DELETE',
    call: async () => ({ path: `/v1/admin/sites/${A}` }),
    allowed: ['owner', 'admin'],
    callers: ['none', 'revoked', 'otherModerator', 'moderator'],
  },
  {
    name: 'create a key',
    method: 'POST',
    call: async () => ({ path: `/v1/admin/sites/${A}/keys`, json: { role: 'moderator' } }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'list keys',
    method: 'GET',
    call: async () => ({ path: `/v1/admin/sites/${A}/keys` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'revoke a key',
    method: 'DELETE',
    call: async () => ({ path: `/v1/admin/keys/${(await createApiKey(ctx.db, { siteId: A, role: 'moderator' })).id}` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'site stats',
    method: 'GET',
    call: async () => ({ path: `/v1/admin/sites/${A}/stats` }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'create a webhook',
    method: 'POST',
    call: async () => ({
      path: `/v1/admin/sites/${A}/webhooks`,
      json: { url: 'https://93.184.216.34/hook', events: ['comment.approved'] },
    }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'list webhooks',
    method: 'GET',
    call: async () => ({ path: `/v1/admin/sites/${A}/webhooks` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'read a webhook',
    method: 'GET',
    call: async () => ({ path: `/v1/admin/webhooks/${await webhook()}` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'change a webhook',
    method: 'PATCH',
    call: async () => ({ path: `/v1/admin/webhooks/${await webhook()}`, json: { enabled: false } }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'rotate a webhook secret',
    method: 'POST',
    call: async () => ({ path: `/v1/admin/webhooks/${await webhook()}/rotate-secret` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'webhook deliveries',
    method: 'GET',
    call: async () => ({ path: `/v1/admin/webhooks/${await webhook()}/deliveries` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'delete a webhook',
    method: 'DELETE',
    call: async () => ({ path: `/v1/admin/webhooks/${await webhook()}` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'export comments',
    method: 'GET',
    call: async () => ({ path: `/v1/admin/sites/${A}/export` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'import comments',
    method: 'POST',
    call: async () => ({
      path: `/v1/admin/sites/${A}/import?format=ndjson`,
      body: '',
      headers: { 'content-type': 'application/x-ndjson' },
    }),
    allowed: ['owner', 'admin'],
  },
  {
    name: "export an author's data",
    method: 'GET',
    call: async () => ({ path: `/v1/admin/sites/${A}/authors?email=leser%40example.org` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: "erase an author's data",
    method: 'DELETE',
    call: async () => ({ path: `/v1/admin/sites/${A}/authors?email=niemand%40example.org` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'moderation queue',
    method: 'GET',
    call: async () => ({ path: `/v1/moderation/queue?site=${A}&status=pending` }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'decide a comment',
    method: 'POST',
    call: async () => ({ path: `/v1/moderation/comments/${await pending()}/decision`, json: { action: 'approve' } }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'undo a decision',
    method: 'POST',
    call: async () => {
      const id = await pending();
      const decided = await api.request(`/v1/moderation/comments/${id}/decision`, {
        method: 'POST',
        key: ADMIN_KEY,
        json: { action: 'reject' },
      });
      expect(decided.status).toBe(200);
      return { path: `/v1/moderation/comments/${id}/undo` };
    },
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'close a thread',
    method: 'POST',
    call: async () => ({ path: '/v1/moderation/threads/close', json: { site: A, key: '/zugang', closed: false } }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'audit log',
    method: 'GET',
    call: async () => ({ path: `/v1/moderation/audit?site=${A}` }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'list bans',
    method: 'GET',
    call: async () => ({ path: `/v1/moderation/bans?site=${A}` }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'create a ban',
    method: 'POST',
    call: async () => ({ path: '/v1/moderation/bans', json: { site: A, kind: 'word', value: `wort-${rnd()}` } }),
    allowed: ['moderator', 'owner', 'admin'],
  },
  {
    name: 'delete a ban',
    method: 'DELETE',
    call: async () => {
      const ban = await upsertBan(ctx.db, {
        siteId: A,
        kind: 'word',
        value: `wort-${rnd()}`,
        shadow: false,
        createdBy: 'test',
      });
      return { path: `/v1/moderation/bans/${ban.id}` };
    },
    allowed: ['moderator', 'owner', 'admin'],
  },
];

function expected(row: Row, who: Who): number | 'ok' {
  if (who === 'none' || who === 'revoked') return 401;
  if (who === 'otherModerator') return row.otherSite ?? 404;
  if (row.foreign && who !== 'admin') return 404;
  return row.allowed.includes(who) ? 'ok' : 403;
}

describe('access matrix: admin and moderation endpoints × callers', () => {
  for (const row of ROWS) {
    it(`${row.method} ${row.name}: only ${row.allowed.join(', ')} pass; another site's key gets ${row.otherSite ?? 404}`, async () => {
      const outcomes: Record<string, number> = {};
      for (const who of row.callers ?? CALLERS) {
        const call = await row.call();
        const res = await api.request(call.path, {
          method: row.method,
          key: keys[who],
          json: call.json,
          body: call.body,
          headers: call.headers,
        });
        outcomes[who] = res.status;
        const want = expected(row, who);
        const ok = want === 'ok' ? res.status >= 200 && res.status < 300 : res.status === want;
        if (!ok) throw new Error(`${who}: expected ${want}, got ${res.status} ${await res.text()}`);
        if (res.status >= 400) expect((await res.json()).error.code).toBeTruthy();
      }
      expect(Object.keys(outcomes)).toHaveLength((row.callers ?? CALLERS).length);
    });
  }

  it("a bulk decision by another site's moderator changes nothing and tells only a count of 0", async () => {
    const id = await pending();
    const res = await api.request('/v1/moderation/decisions', {
      method: 'POST',
      key: keys.otherModerator,
      json: { ids: [id], action: 'approve' },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).updated).toBe(0);
    expect((await commentRow(ctx.db, id)).status).toBe('pending');
  });

  it("lists only the caller's own site to a site key", async () => {
    const res = await api.request('/v1/admin/sites', { key: keys.otherModerator });
    expect((await res.json()).sites.map((s: { id: string }) => s.id)).toEqual([B]);
  });

  it('revocation takes effect on the very next request', async () => {
    const created = await api.request(`/v1/admin/sites/${A}/keys`, {
      method: 'POST',
      key: keys.owner,
      json: { role: 'moderator' },
    });
    const { id, key } = await created.json();
    expect((await api.request(`/v1/admin/sites/${A}`, { key })).status).toBe(200);
    expect((await api.request(`/v1/admin/keys/${id}`, { method: 'DELETE', key: keys.owner })).status).toBe(204);
    expect((await api.request(`/v1/admin/sites/${A}`, { key })).status).toBe(401);
  });

  it('makes keys of 256 random bits, shown once and stored only as a hash', async () => {
    const created = await api.request(`/v1/admin/sites/${A}/keys`, {
      method: 'POST',
      key: ADMIN_KEY,
      json: { role: 'owner' },
    });
    const { id, key } = (await created.json()) as { id: string; key: string };
    // The secret part carries at least 256 bits: 43+ base64url characters (or 64 hex).
    const secret = key.replace(/^[a-z]+_/, '');
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);
    const row = await findKey(ctx.db, id);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(Object.values(row ?? {})).toContain(hashApiKey(key));
    const listed = await (await api.request(`/v1/admin/sites/${A}/keys`, { key: ADMIN_KEY })).text();
    expect(listed).not.toContain(secret);
  });
});
