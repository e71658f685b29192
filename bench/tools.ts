// Shared pieces of the bench: child processes, autocannon shots, RSS, seeding.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '@stammtisch/testkit';
import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';
import type pg from 'pg';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export const median = (xs: number[]) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export interface Child {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

/** Starts `node --import tsx <file>` and waits for GET /healthz (servers) or a "ready" line (workers). */
export async function startChild(
  file: string,
  childEnv: Record<string, string>,
  readiness: 'http' | 'stdout',
): Promise<Child> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, ...childEnv, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${file} exited early:\n${output}`);
    if (readiness === 'stdout' && output.includes('ready')) break;
    if (readiness === 'http') {
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${file} did not start:\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process (MB), from /proc; NaN where there is no /proc. */
export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface Shot {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  bad: number;
  codes: Record<string, number>;
  duration: number;
}

/** Answers no scenario expected, by status (and connection errors, timeouts), over the whole run. */
export const unexpected: Record<string, number> = {};

export async function fire(
  options: AutocannonOptions,
  okStatus: (code: number) => boolean = (c) => c >= 200 && c < 300,
): Promise<Shot> {
  const result: AutocannonResult = await autocannon(options);
  const codes: Record<string, number> = {};
  let ok = 0;
  let bad = result.errors + result.timeouts;
  if (result.errors) unexpected.errors = (unexpected.errors ?? 0) + result.errors;
  if (result.timeouts) unexpected.timeouts = (unexpected.timeouts ?? 0) + result.timeouts;
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    codes[code] = count;
    if (okStatus(Number(code))) ok += count;
    else {
      bad += count;
      unexpected[code] = (unexpected[code] ?? 0) + count;
    }
  }
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    bad,
    codes,
    duration: result.duration,
  };
}

/** `threads` threads of `perThread` approved top-level comments each, written by SQL (seconds, not minutes). */
export async function seedThreads(
  client: pg.Client,
  siteId: string,
  keyPrefix: string,
  threads: number,
  perThread: number,
  mixStatuses = false,
): Promise<void> {
  await client.query(
    `insert into threads (site_id, key, title, url)
     select $1, $2 || g, 'Thread ' || g, 'https://blog.example' || $2 || g from generate_series(0, $3 - 1) g`,
    [siteId, keyPrefix, threads],
  );
  await client.query(
    `with src as (
       select gen_random_uuid() as id, t.id as thread_id, g
       from threads t cross join generate_series(1, $3) g
       where t.site_id = $1 and t.key like $2 || '%'
     )
     insert into comments (id, site_id, thread_id, root_id, author_name, body, body_hash, html, status, created_at)
     select id, $1, thread_id, id, 'Leserin ' || g,
            'Kommentar ' || g || ': ein gewöhnlicher Beitrag über kleine Fluchten im Alltag.',
            md5(id::text), '<p>Kommentar ' || g || ': ein gewöhnlicher Beitrag über kleine Fluchten im Alltag.</p>',
            case when $4 and g % 10 = 0 then 'spam' when $4 and g % 10 = 1 then 'pending' else 'approved' end,
            now() - make_interval(secs => $3 - g)
     from src`,
    [siteId, keyPrefix, perThread, mixStatuses],
  );
}

/**
 * `n` earlier comments on a site from one address (and one email), spread
 * over the last week, newest a second ago: a site behind a proxy without
 * TRUST_PROXY, where every reader shares one IP hash.
 */
export async function seedHistory(
  client: pg.Client,
  siteId: string,
  ipHash: string,
  email: string,
  n: number,
): Promise<void> {
  const { rows } = await client.query(`insert into threads (site_id, key) values ($1, '/history/old') returning id`, [
    siteId,
  ]);
  const threadId = rows[0].id as string;
  const spacing = (7 * 24 * 3600) / n;
  await client.query(
    `with src as (select gen_random_uuid() as id, g from generate_series(1, $5) g)
     insert into comments (id, site_id, thread_id, root_id, author_name, author_email, author_ip_hash, body, body_hash, html, status, created_at)
     select src.id, $1, $2, src.id, 'Stammgast', $4, $3, 'Früherer Kommentar ' || g, md5('h' || g), '<p>Früherer Kommentar</p>',
            case when g % 50 = 0 then 'spam' else 'approved' end, now() - make_interval(secs => 1 + g * $6::float8)
     from src`,
    [siteId, threadId, ipHash, email, n, spacing],
  );
}
