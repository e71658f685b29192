// npx tsx bench/compression.ts: what compressing answers costs on the cached thread read.
//
// One api app with compression and one without, in this process, over a
// scratch database with a thread of 50 approved comments. autocannon runs in
// its own process (so its CPU is not counted) against each in alternation:
// the same cached thread read with Accept-Encoding br, gzip and none. Prints
// requests per second, the api's CPU time per request and bytes per answer.
// Traffic goes only to 127.0.0.1 and every run stops by itself.
//   npx tsx bench/compression.ts --duration 5 --connections 10 --rounds 2
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ServerType, serve } from '@hono/node-server';
import { createDatabase, createSiteCache, migrateToLatest } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { COMMENTS_QUEUE, createProducerConnection } from '@stammtisch/queue';
import { makeComment, makeSite } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import pg from 'pg';
import { createApp } from '../services/api/src/app.js';
import { createReadCache } from '../services/api/src/reads/read-cache.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const database = `stammtisch_bench_zip_${process.pid}`;
const url = new URL(adminUrl);
url.pathname = `/${database}`;
const autocannonBin = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));
const THREAD = '/2026/12/bench-thread';

await migrateToLatest(url.toString());
const db = createDatabase({ url: url.toString(), poolSize: 4 });
const redis = createProducerConnection(redisUrl);
const queue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix: `benchzip${process.pid}` });
const servers: ServerType[] = [];

try {
  await makeSite(db, { id: 'bench' });
  for (let i = 0; i < 50; i++)
    await makeComment(db, {
      siteId: 'bench',
      threadKey: THREAD,
      status: 'approved',
      body: `Kommentar ${i}: Heute Mittag ohne Handy im Park gesessen, *herrlich*. Wer kommt am Freitag mit zum Stammtisch?`,
    });

  const apps: Record<'on' | 'off', ReturnType<typeof createApp>> = {} as never;
  async function start(compression: boolean): Promise<string> {
    const siteCache = createSiteCache(db);
    const readCache = createReadCache();
    const app = createApp({
      db,
      queue,
      siteCache,
      readCache,
      logger: createLogger({ service: 'bench', level: 'silent' }),
      registry: createMetricsRegistry(`bench_${compression ? 'zip' : 'plain'}`),
      readiness: [],
      ipHashSecret: 'bench-secret-bench-secret',
      compression,
      onSiteChanged: async () => {},
      onDecided: async () => {},
    });
    apps[compression ? 'on' : 'off'] = app;
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const bases = { on: await start(true), off: await start(false) };
  const path = `/v1/sites/bench/threads/${encodeURIComponent(THREAD)}/comments`;

  async function run(base: string, acceptEncoding: string, seconds = Number(args.duration)) {
    const headers = acceptEncoding ? ['-H', `accept-encoding=${acceptEncoding}`] : [];
    // Warm the read cache and the compressed copy first.
    await fetch(base + path, {
      headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : ({} as Record<string, string>),
    });
    const cpuBefore = process.cpuUsage();
    const { stdout } = await promisify(execFile)(
      autocannonBin,
      ['-j', '-c', args.connections!, '-d', String(seconds), ...headers, base + path],
      {
        maxBuffer: 10 * 1024 * 1024,
      },
    );
    const cpu = process.cpuUsage(cpuBefore);
    const result = JSON.parse(stdout) as {
      requests: { total: number; average: number };
      throughput: { total: number };
      non2xx: number;
    };
    return {
      rps: result.requests.average,
      cpuUsPerRequest: (cpu.user + cpu.system) / result.requests.total,
      bytesPerAnswer: result.throughput.total / result.requests.total,
      non2xx: result.non2xx,
    };
  }

  // The HTTP server's CPU for the same requests without sockets: app.fetch in a loop, one at a time.
  async function inProcess(
    app: { fetch: (r: Request) => Response | Promise<Response> },
    acceptEncoding: string,
    n: number,
  ) {
    const headers: Record<string, string> = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    for (let i = 0; i < 200; i++)
      await (await app.fetch(new Request(`http://bench${path}`, { headers }))).arrayBuffer();
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) await (await app.fetch(new Request(`http://bench${path}`, { headers }))).arrayBuffer();
    const cpu = process.cpuUsage(before);
    return (cpu.user + cpu.system) / n;
  }
  const inProcessRows: Array<Record<string, string | number>> = [];
  for (const [label, app, enc] of [
    ['off (identity)', apps.off, ''],
    ['on, br', apps.on, 'br'],
    ['on, gzip', apps.on, 'gzip'],
    ['on, no Accept-Encoding', apps.on, ''],
    ['off (identity), again', apps.off, ''],
  ] as const) {
    inProcessRows.push({
      compression: label,
      'CPU µs/req (app.fetch, no sockets)': Math.round(await inProcess(app, enc, 3000)),
    });
  }
  console.table(inProcessRows);

  // One unmeasured pass over every case: JIT, read cache and compressed copies warm.
  for (const [base, enc] of [
    [bases.off, ''],
    [bases.on, 'br'],
    [bases.on, 'gzip'],
  ] as const)
    await run(base, enc, 2);
  const rows: Array<Record<string, string | number>> = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const [label, base, enc] of [
      ['off (identity)', bases.off, ''],
      ['on, br', bases.on, 'br'],
      ['on, gzip', bases.on, 'gzip'],
      ['on, no Accept-Encoding', bases.on, ''],
    ] as const) {
      const r = await run(base, enc);
      rows.push({
        round: round + 1,
        compression: label,
        'req/s': Math.round(r.rps),
        'api CPU µs/req': Math.round(r.cpuUsPerRequest),
        'bytes/answer (incl. headers)': Math.round(r.bytesPerAnswer),
        non2xx: r.non2xx,
      });
    }
  }
  console.table(rows);
} finally {
  for (const s of servers) await new Promise((r) => s.close(r));
  await queue.close();
  await redis.quit();
  await db.destroy();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
}
