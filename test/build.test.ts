import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TestContext, createTestContext } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run build` compiles every service and what they need to JavaScript with
// source maps, and the compiled command lines run with plain node (no tsx).
// (The services themselves run from dist/ under npm start in test/faults/supervisor.test.ts.)

const ROOT = fileURLToPath(new URL('../', import.meta.url));
let ctx: TestContext;

function node(file: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--enable-source-maps', file, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
}, 300_000);
afterAll(() => ctx?.cleanup());

describe('npm run build', () => {
  it('writes each service, the CLIs, the supervisor and embed.js with source maps', () => {
    for (const file of [
      'services/ingest/dist/main.js',
      'services/worker/dist/main.js',
      'services/api/dist/main.js',
      'services/api/dist/cli.js',
      'packages/db/dist/migrate-cli.js',
      'dist/start.js',
    ]) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
      expect(readFileSync(path.join(ROOT, file), 'utf8'), file).toContain(
        `//# sourceMappingURL=${path.basename(file)}.map`,
      );
      expect(existsSync(path.join(ROOT, `${file}.map`)), file).toBe(true);
    }
    expect(existsSync(path.join(ROOT, 'packages/widget/dist/embed.js'))).toBe(true);
  });

  it('bundles the workspace packages in and leaves node_modules outside', () => {
    const api = readFileSync(path.join(ROOT, 'services/api/dist/main.js'), 'utf8');
    expect(api).not.toMatch(/from ["']@stammtisch\//);
    // Dependencies stay imports from node_modules (hono's modules, @hono/zod-openapi), never copied in.
    expect(api).toMatch(/from ["']hono\/[\w/-]+["']/);
    expect(api).toMatch(/from ["']@hono\/zod-openapi["']/);
  });

  it('runs the compiled migrate CLI and api CLI with node', () => {
    const migrate = node('packages/db/dist/migrate-cli.js', [], { DATABASE_URL: ctx.databaseUrl });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('Database is up to date.');
    const created = node(
      'services/api/dist/cli.js',
      ['site', 'create', '--id', 'built', '--name', 'Gebaut', '--origin', 'https://built.example'],
      {
        DATABASE_URL: ctx.databaseUrl,
        REDIS_URL: '',
      },
    );
    expect(created.status, created.stderr).toBe(0);
    const list = node('services/api/dist/cli.js', ['site', 'list', '--json'], {
      DATABASE_URL: ctx.databaseUrl,
      REDIS_URL: '',
    });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('"built"');
  });
});
