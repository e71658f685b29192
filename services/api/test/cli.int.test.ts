import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestContext, createTestContext, siteComments } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApi } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let ctx: TestContext;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  dir = await mkdtemp(join(tmpdir(), 'stammtisch-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await ctx.cleanup();
});

// Each run starts a Node process with tsx; on a busy machine that takes seconds.
const SLOW = 240_000;

/** Runs the command line as `npm run cli` does (tsx), in its own process, against this file's database. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'services/api/src/cli.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: ctx.databaseUrl, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: ctx.redisPrefix },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('command line', () => {
  test(
    'site create validates like the API, and site list shows the site',
    async () => {
      const created = await cli(
        'site',
        'create',
        '--id',
        'cli-blog',
        '--name',
        'CLI Blog',
        '--origin',
        'https://cli.example',
        '--moderation',
        'pre',
      );
      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout)).toEqual({
        id: 'cli-blog',
        name: 'CLI Blog',
        origins: ['https://cli.example'],
        moderation: 'pre',
      });

      const bad = await cli(
        'site',
        'create',
        '--id',
        'Not Valid!',
        '--name',
        'x',
        '--origin',
        'https://cli.example/path',
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/id: must be 1–63 lowercase letters/);
      expect(bad.stderr).toMatch(/origins\.0: must be an origin/);

      const again = await cli('site', 'create', '--id', 'cli-blog', '--name', 'Again');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/exists already/);

      const list = await cli('site', 'list', '--json');
      expect(JSON.parse(list.stdout).sites).toContainEqual({
        id: 'cli-blog',
        name: 'CLI Blog',
        origins: ['https://cli.example'],
        moderation: 'pre',
      });
    },
    SLOW,
  );

  test(
    'key create prints a key the API accepts for that site',
    async () => {
      await cli('site', 'create', '--id', 'cli-keys', '--name', 'Keys');
      const res = await cli('key', 'create', '--site', 'cli-keys', '--role', 'owner');
      expect(res.code).toBe(0);
      const { key, role, siteId } = JSON.parse(res.stdout) as { key: string; role: string; siteId: string };
      expect({ role, siteId }).toEqual({ role: 'owner', siteId: 'cli-keys' });
      const api = buildApi(ctx);
      await api.queue.waitUntilReady();
      try {
        expect((await api.request('/v1/admin/sites/cli-keys', { key })).status).toBe(200);
      } finally {
        await api.close();
      }
      const badRole = await cli('key', 'create', '--site', 'cli-keys', '--role', 'admin');
      expect(badRole.code).toBe(2);
      const noSite = await cli('key', 'create', '--site', 'nope', '--role', 'owner');
      expect(noSite.stderr).toMatch(/no site with id nope/);
    },
    SLOW,
  );

  test(
    'import reads a file (twice adds nothing) and export writes it back as NDJSON or WXR',
    async () => {
      await cli('site', 'create', '--id', 'cli-import', '--name', 'Import');
      // A dry run reports and writes nothing.
      const dry = await cli('import', fixture('wordpress.xml'), '--site', 'cli-import', '--dry-run');
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({
        imported: 9,
        skipped: 1,
        dryRun: true,
        skippedEntries: [{ sourceId: '108' }],
      });
      expect(await siteComments(ctx.db, 'cli-import')).toHaveLength(0);
      const first = await cli('import', fixture('wordpress.xml'), '--site', 'cli-import');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({
        imported: 9,
        skipped: 1,
        skippedEntries: [
          {
            line: 133,
            element: 'wp:comment',
            sourceId: '108',
            reason: 'a pingback, and types=comment leaves pingbacks out',
          },
        ],
      });
      const second = await cli('import', fixture('wordpress.xml'), '--site', 'cli-import', '--format', 'wxr');
      expect(JSON.parse(second.stdout)).toMatchObject({ imported: 0, skipped: 10 });
      const badOption = await cli('import', fixture('wordpress.xml'), '--site', 'cli-import', '--thread-key', 'slug');
      expect(badOption.code).toBe(2);
      expect(badOption.stderr).toMatch(/--thread-key: must be one of path, link, guid, post_id/);

      const exported = await cli('export', '--site', 'cli-import');
      expect(exported.code).toBe(0);
      const lines = exported.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { site: string; status: string });
      expect(lines).toHaveLength(9);
      expect(lines.every((l) => l.site === 'cli-import')).toBe(true);

      const ndjson = join(dir, 'export.ndjson');
      await writeFile(ndjson, exported.stdout);
      await cli('site', 'create', '--id', 'cli-copy', '--name', 'Copy');
      expect(JSON.parse((await cli('import', ndjson, '--site', 'cli-copy')).stdout)).toEqual({
        imported: 9,
        skipped: 0,
        skippedEntries: [],
      });

      const wxr = join(dir, 'export.xml');
      expect((await cli('export', '--site', 'cli-import', '--format', 'wxr', '--out', wxr)).code).toBe(0);
      expect(await readFile(wxr, 'utf8')).toMatch(
        /^<\?xml[\s\S]*<wp:comment_approved>spam<\/wp:comment_approved>[\s\S]*<\/rss>\n$/,
      );
    },
    SLOW,
  );

  test(
    'a malformed file fails with the line named and leaves nothing behind',
    async () => {
      await cli('site', 'create', '--id', 'cli-broken', '--name', 'Broken');
      const broken = join(dir, 'broken.xml');
      await writeFile(
        broken,
        (await readFile(fixture('disqus.xml'), 'utf8')).replace(
          '<title>Kleine Fluchten</title>',
          '<title>Kleine Fluchten</titel>',
        ),
      );
      const res = await cli('import', broken, '--site', 'cli-broken');
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/nothing was: line 13, <thread>: column 34: unexpected close tag/);
      const rows = await siteComments(ctx.db, 'cli-broken');
      expect(rows).toHaveLength(0);
    },
    SLOW,
  );
});
