import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@stammtisch/testkit';

// Runs what `npm start` runs (scripts/start/launch.mjs: the turbo build, then node on
// dist/start.js) as a real process on free ports, without npm in between so that the
// signals a test sends reach the supervisor itself.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NpmStart {
  process: ChildProcess;
  ports: { api: number; ingest: number; worker: number; supervisor: number; demo: number };
  url: (service: 'api' | 'ingest' | 'worker' | 'supervisor' | 'demo') => string;
  output: () => string;
  /** Resolves once the "Stammtisch is running" banner is out; rejects if the process exits first. */
  running: (timeoutMs?: number) => Promise<void>;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** `env` replaces the inherited environment's DATABASE_URL/REDIS_URL handling: pass what the run should see. */
export async function npmStart(env: Record<string, string | undefined>): Promise<NpmStart> {
  const ports = {
    api: await freePort(),
    ingest: await freePort(),
    worker: await freePort(),
    supervisor: await freePort(),
    demo: await freePort(),
  };
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start/launch.mjs')], {
    cwd: ROOT,
    env: {
      LOG_LEVEL: 'warn',
      API_PORT: String(ports.api),
      INGEST_PORT: String(ports.ingest),
      WORKER_PORT: String(ports.worker),
      SUPERVISOR_PORT: String(ports.supervisor),
      DEMO_PORT: String(ports.demo),
      ADMIN_KEY: 'npm-start-test-admin-key-0123456789',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    ports,
    url: (service) => `http://127.0.0.1:${ports[service]}`,
    output: () => output,
    exited,
    async running(timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes('Stammtisch is running')) {
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`npm start did not come up in ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** The environment of this test process minus what would point npm start at the shared servers. */
export function inheritedEnv(): Record<string, string | undefined> {
  const { DATABASE_URL: _d, REDIS_URL: _r, REDIS_PREFIX: _p, ...rest } = process.env;
  return rest;
}
