import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, freePort, isPortOpen } from '@stammtisch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NpmStart, inheritedEnv, npmStart } from './npm-start.js';

// A fresh machine: nothing answers where npm start looks for Postgres and
// Redis (STAMMTISCH_POSTGRES_PORT / STAMMTISCH_REDIS_PORT stand in for 5432
// and 6379), and no DATABASE_URL or REDIS_URL is given. npm start runs the
// embedded Postgres and a redis-server of its own, serves the demo page, and
// stops both again on SIGTERM. Without redis-server on the PATH it says so in
// one line and starts nothing.

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'stammtisch-fresh-'));
  // As root the embedded Postgres runs as the postgres user, who must be able to reach its folder.
  chmodSync(dataDir, 0o755);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function freshPorts() {
  return { STAMMTISCH_POSTGRES_PORT: String(await freePort()), STAMMTISCH_REDIS_PORT: String(await freePort()) };
}

describe('npm start on a machine without Postgres and Redis', () => {
  let run: NpmStart | undefined;
  afterAll(async () => {
    await run?.stop('SIGKILL');
  });

  it.skipIf(!onPath('redis-server'))(
    'runs the embedded Postgres and a local redis-server, serves the demo, and stops both on SIGTERM',
    async () => {
      const ports = await freshPorts();
      run = await npmStart({ ...inheritedEnv(), ...ports, STAMMTISCH_DATA_DIR: dataDir });
      await run.running();
      const pgPort = Number(ports.STAMMTISCH_POSTGRES_PORT);
      const redisPort = Number(ports.STAMMTISCH_REDIS_PORT);
      expect(run.output()).toContain(`an embedded one runs on 127.0.0.1:${pgPort}`);
      expect(run.output()).toContain(`a local redis-server runs on 127.0.0.1:${redisPort}`);
      expect(existsSync(path.join(dataDir, 'postgres/data/PG_VERSION'))).toBe(true);
      expect(existsSync(path.join(dataDir, 'redis'))).toBe(true);

      const demo = await fetch(run.url('demo'));
      expect(demo.status).toBe(200);
      expect(await demo.text()).toContain(`${run.url('api').replace('127.0.0.1', 'localhost')}/embed.js`);
      const embed = await fetch(`${run.url('api')}/embed.js`);
      expect(embed.status).toBe(200);

      // The whole path works on them: a comment is accepted (Redis) and decided (Postgres).
      const posted = await fetch(`${run.url('ingest')}/v1/sites/demo/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://localhost:${run.ports.demo}` },
        body: JSON.stringify({
          thread: { key: '/kleine-fluchten' },
          author: { name: 'Anna' },
          body: 'Schöner Artikel, danke für die Erinnerung!',
        }),
      });
      expect(posted.status).toBe(202);
      const decided = await eventually(
        async () => {
          const res = await fetch(`${run?.url('api')}/v1/admin/sites/demo/stats`, {
            headers: { authorization: 'Bearer npm-start-test-admin-key-0123456789' },
          });
          const stats = (await res.json()) as { comments: Record<string, number> };
          const total = Object.values(stats.comments).reduce((a, b) => a + b, 0);
          return total >= 1 ? total : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(decided).toBe(1);

      expect(await run.stop('SIGTERM')).toBe(0);
      expect(await isPortOpen('127.0.0.1', pgPort)).toBe(false);
      expect(await isPortOpen('127.0.0.1', redisPort)).toBe(false);
    },
  );

  it('without redis-server on the PATH, exits with one line saying how to get Redis', async () => {
    // The PATH as it is, but every folder that holds redis-server is replaced by a copy
    // (of symlinks) without it.
    const bin = path.join(dataDir, 'bin-without-redis');
    mkdirSync(bin, { recursive: true });
    const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    const pathWithout = dirs.map((dir) => {
      if (!existsSync(path.join(dir, 'redis-server'))) return dir;
      for (const name of readdirSync(dir)) {
        if (name.startsWith('redis-') || existsSync(path.join(bin, name))) continue;
        symlinkSync(path.join(dir, name), path.join(bin, name));
      }
      return bin;
    });
    const ports = await freshPorts();
    const started = await npmStart({
      ...inheritedEnv(),
      ...ports,
      PATH: pathWithout.join(path.delimiter),
      STAMMTISCH_DATA_DIR: dataDir,
    });
    const code = await started.exited;
    const lines = started
      .output()
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('[start] Built'));
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^npm start: Redis does not answer at 127\.0\.0\.1:\d+ and redis-server is not installed: /,
    );
    expect(lines[0]).toContain('package manager');
    expect(lines[0]).toContain('docker compose up');
    // Nothing was started: not even the embedded Postgres.
    expect(await isPortOpen('127.0.0.1', Number(ports.STAMMTISCH_POSTGRES_PORT))).toBe(false);
  });
});
