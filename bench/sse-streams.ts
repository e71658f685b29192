// How many idle live thread streams (SSE) one api process holds, and the
// memory each costs. Starts a real api process (scratch database and Redis
// prefix), opens N event streams to it over loopback in batches, spread over
// 100 threads, reads the process's own /metrics before and after, checks that
// an approval still reaches a stream, and stops by itself.
//   npx tsx bench/sse-streams.ts [--streams 10000]
// Needs `ulimit -n` above the stream count (both ends live on this machine).
import net from 'node:net';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createDatabase, migrateToLatest } from '@stammtisch/db';
import { deleteKeys, makeComment, makeSite, startService } from '@stammtisch/testkit';
import { Redis } from 'ioredis';
import pg from 'pg';

const { values: args } = parseArgs({ options: { streams: { type: 'string', default: '10000' } } });
const total = Number(args.streams);
const ADMIN_KEY = 'bench-sse-admin-key-0123456789';

// A scratch database and Redis prefix of its own, dropped at the end.
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const database = `stammtisch_sse_bench_${randomUUID().slice(0, 8)}`;
const databaseUrl = Object.assign(new URL(base), { pathname: `/${database}` }).toString();
const prefix = `sse-bench-${randomUUID().slice(0, 8)}`;
await migrateToLatest(databaseUrl);
const db = createDatabase({ url: databaseUrl, poolSize: 2 });
const api = await startService(
  'api',
  { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, ADMIN_KEY, DATABASE_POOL_SIZE: '4' },
  { timeoutMs: 90_000 },
);
const ctx = { db };
const sockets: net.Socket[] = [];
try {
  await makeSite(ctx.db, { id: 'bench' });
  const metrics = async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const read = (name: string) =>
      Number(text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm'))?.[1] ?? Number.NaN);
    return {
      rss: read('process_resident_memory_bytes'),
      heap: read('nodejs_heap_size_used_bytes'),
      streams: read('thread_event_streams'),
    };
  };
  // Warm up (JIT, pools) with a few streams, then measure from there.
  const open = (i: number) =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(api.port, '127.0.0.1');
      socket.setTimeout(30_000, () => reject(new Error('stream did not open')));
      socket.once('error', reject);
      socket.once('data', (chunk) => {
        socket.setTimeout(0);
        if (!chunk.toString().startsWith('HTTP/1.1 200')) reject(new Error(chunk.toString().split('\r\n')[0]));
        else resolve(socket);
      });
      socket.write(
        `GET /v1/sites/bench/threads/t${i % 100}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
      );
    });
  for (let i = 0; i < 100; i++) sockets.push(await open(i));
  if (global.gc) global.gc();
  await new Promise((r) => setTimeout(r, 1000));
  const before = await metrics();
  const started = Date.now();
  for (let i = 100; i < total; i += 500) {
    const batch = await Promise.all(Array.from({ length: Math.min(500, total - i) }, (_, j) => open(i + j)));
    sockets.push(...batch);
  }
  const openMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, 3000));
  const after = await metrics();
  const added = after.streams - before.streams;
  console.log(`open streams in the api process: ${after.streams} (opened ${added} more in ${openMs} ms)`);
  console.log(
    `RSS ${(before.rss / 2 ** 20).toFixed(0)} → ${(after.rss / 2 ** 20).toFixed(0)} MiB: ${((after.rss - before.rss) / added / 1024).toFixed(1)} KiB per stream`,
  );
  console.log(
    `heap used ${(before.heap / 2 ** 20).toFixed(0)} → ${(after.heap / 2 ** 20).toFixed(0)} MiB: ${((after.heap - before.heap) / added / 1024).toFixed(1)} KiB per stream`,
  );

  // Still live: a comment approved in thread t7 reaches one of its streams.
  const watcher = sockets[7]!;
  const got = new Promise<number>((resolve) => {
    const t0 = Date.now();
    watcher.on('data', (chunk) => chunk.toString().includes('event: comment') && resolve(Date.now() - t0));
  });
  const { id } = await makeComment(ctx.db, { siteId: 'bench', threadKey: 't7', status: 'pending' });
  await fetch(`${api.url}/v1/moderation/comments/${id}/decision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'approve' }),
  });
  console.log(`with ${after.streams} streams open, an approval reached a stream of its thread in ${await got} ms`);
} finally {
  for (const s of sockets) s.destroy();
  await api.stop();
  await db.destroy();
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop database if exists "${database}" with (force)`).catch(() => {});
  await admin.end();
  const redis = new Redis(redisUrl);
  await deleteKeys(redis, `${prefix}:*`).catch(() => {});
  redis.disconnect();
}
