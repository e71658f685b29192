import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DB, createSite } from '@stammtisch/db';
import { type RunningService, type ServiceName, freePort, isPortOpen, startService } from '@stammtisch/testkit';
import { sql } from 'kysely';

// Tools for the fault tests: private Postgres and Redis instances that a test
// may stop and start without touching the machine's shared ones, a load
// generator that remembers every 202, and the bookkeeping that proves no
// accepted comment was lost or doubled.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PrivatePostgres {
  url: string;
  port: number;
  /** Stops the server the hard way (`-m immediate`: no checkpoint, crash recovery on the next start). */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** Stops it for good and removes its data folder. */
  destroy: () => Promise<void>;
}

function findPgBin(): string {
  const found = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], {
    encoding: 'utf8',
  }).stdout.trim();
  if (!found) throw new Error('Postgres binaries not found under /usr/lib/postgresql/*/bin');
  return found;
}

/**
 * A Postgres of the test's own: initdb into a temp folder, trust auth, on a
 * free port with its socket in that folder. initdb refuses to run as root,
 * so as root it runs as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPgBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'stammtisch-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const result = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
  }
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=100 -c shared_buffers=32MB`;
  const start = async () => {
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
    await waitFor(() => isPortOpen('127.0.0.1', port), 'private Postgres to listen');
  };
  const stop = async () => {
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    await waitFor(async () => !(await isPortOpen('127.0.0.1', port)), 'private Postgres to stop');
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async destroy() {
      try {
        await stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** Kills the server with SIGKILL: only what the append-only file holds survives. */
  kill: () => Promise<void>;
  start: () => Promise<void>;
  destroy: () => Promise<void>;
}

/** A Redis of the test's own with AOF on (fsync on every write), as durable as `infra/redis/redis.conf` or more. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'stammtisch-redis-'));
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--daemonize',
        'no',
        '--logfile',
        path.join(dir, 'redis.log'),
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => isPortOpen('127.0.0.1', port), 'private Redis to listen');
  };
  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((r) => current.once('exit', r));
    current.kill('SIGKILL');
    await exited;
    await waitFor(async () => !(await isPortOpen('127.0.0.1', port)), 'private Redis to stop');
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** startService with room for a loaded CI machine (the worker trains its base model before it answers). */
export function start(name: ServiceName, env: Record<string, string>): Promise<RunningService> {
  return startService(name, env, { timeoutMs: 120_000 });
}

/** A site that publishes everything, with no rate limit, so the counts are about faults only. */
export async function makeFaultSite(db: DB, id = 'faults'): Promise<string> {
  await createSite(db, {
    id,
    name: 'Fault-Blog',
    origins: ['*'],
    moderation: 'post',
    settings: { rateLimitPerMinute: 0, siteRateLimitPerMinute: 0 },
  });
  return id;
}

export interface LoadResult {
  /** Ids of every comment answered 202, in the order the answers came. */
  accepted: string[];
  /** How many requests got each non-202 status (0 = no answer: connection refused or reset). */
  refused: Record<number, number>;
}

/**
 * Posts `count` comments, `concurrency` at a time, round-robin over the ingest
 * URLs, each with a unique body. A 202 is recorded with its id; anything else
 * (a 503, a refused connection) is counted as refused: nothing was promised.
 */
export async function postComments(
  ingestUrls: string[] | (() => string[]),
  siteId: string,
  count: number,
  options: { concurrency?: number; tag?: string; delayMs?: number } = {},
): Promise<LoadResult> {
  const result: LoadResult = { accepted: [], refused: {} };
  const concurrency = options.concurrency ?? 8;
  const tag = options.tag ?? 'c';
  let next = 0;
  const urls = () => (typeof ingestUrls === 'function' ? ingestUrls() : ingestUrls);
  async function lane() {
    for (;;) {
      const n = next++;
      if (n >= count) return;
      const list = urls();
      const url = list[n % list.length];
      let status = 0;
      try {
        const res = await fetch(`${url}/v1/sites/${siteId}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            thread: { key: `/faults/${tag}/${n % 5}` },
            author: { name: `Leser ${n}` },
            body: `Kommentar ${tag}-${n}: ein ganz gewöhnlicher Beitrag zur Diskussion, Nummer ${n}.`,
          }),
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        const body = (await res.json().catch(() => null)) as { id?: string } | null;
        if (status === 202 && body?.id) result.accepted.push(body.id);
      } catch {
        status = 0;
      }
      if (status !== 202) result.refused[status] = (result.refused[status] ?? 0) + 1;
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return result;
}

export interface Tally {
  accepted: number;
  decided: number;
  lost: number;
  duplicated: number;
}

/** How many of the accepted ids have a row, and whether any body was written twice under another id. */
export async function tally(db: DB, accepted: string[]): Promise<Tally> {
  const unique = [...new Set(accepted)];
  let decided = 0;
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await db.selectFrom('comments').select('id').where('id', 'in', chunk).execute();
    decided += rows.length;
  }
  // Bodies are unique per request: a body stored twice would be a duplicated comment.
  const dup = await sql<{
    n: number;
  }>`select coalesce(sum(c - 1), 0)::int as n from (select count(*) as c from comments group by body) t where c > 1`.execute(
    db,
  );
  return {
    accepted: unique.length,
    decided,
    lost: unique.length - decided,
    duplicated: (dup.rows[0]?.n ?? 0) + (accepted.length - unique.length),
  };
}

/** Waits until every accepted id has a row (or the deadline passes), then tallies. */
export async function drainAndTally(db: DB, accepted: string[], timeoutMs = 90_000): Promise<Tally> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await tally(db, accepted).catch(() => undefined);
    if (counts && counts.lost === 0) return counts;
    if (Date.now() > deadline) return counts ?? tally(db, accepted);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Appends a scenario's figures to test-artifacts/faults.ndjson and prints them, for the CI log and the closing note. */
export function recordScenario(scenario: string, figures: Tally & Record<string, unknown>): void {
  const line = JSON.stringify({ scenario, ...figures, at: new Date().toISOString() });
  console.log(`[faults] ${line}`);
  try {
    mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    appendFileSync(path.join(ROOT, 'test-artifacts', 'faults.ndjson'), `${line}\n`);
  } catch {
    // the log line above is enough
  }
}
