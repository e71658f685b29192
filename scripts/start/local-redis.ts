import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isPortOpen } from '@stammtisch/http/port-probe';
import {
  ANSWER_TIMEOUT_MS,
  GET_IT,
  type LocalService,
  SetupError,
  runningServer,
  onPath,
  stopChild,
  waitUntil,
} from './local-services.js';

// Redis for `npm start`: the one that answers, or a local redis-server.

export async function planRedis(env: NodeJS.ProcessEnv, dataDir: string): Promise<() => Promise<LocalService>> {
  const port = Number(env.STAMMTISCH_REDIS_PORT ?? 6379);
  const running = await runningServer(env, 'REDIS_URL', `redis://127.0.0.1:${port}`);
  if (running) return running;
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
      return isPortOpen('127.0.0.1', port, ANSWER_TIMEOUT_MS);
    },
    30_000,
    'redis-server',
    logFile,
  );
  // SIGTERM: Redis flushes the AOF and exits.
  return { url: `redis://127.0.0.1:${port}`, dataDir: dir, process: child, stop: () => stopChild(child, 'SIGTERM') };
}
