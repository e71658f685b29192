import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type ServiceName = 'ingest' | 'worker' | 'api';
const PORT_ENV: Record<ServiceName, string> = { ingest: 'INGEST_PORT', worker: 'WORKER_PORT', api: 'API_PORT' };

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  name: ServiceName;
  port: number;
  url: string;
  process: ChildProcess;
  /** Everything the process wrote, for diagnosing a failed test. */
  output: () => string;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Starts one service as a real process (`node --import tsx services/<name>/src/main.ts`,
 * as `npm start` does) and resolves once its /healthz answers.
 */
export async function startService(
  name: ServiceName,
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, [PORT_ENV[name]]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode} before it was healthy:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become healthy in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    name,
    port,
    url,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${options.message ?? 'condition not met in time'}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
