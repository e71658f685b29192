// POST → visible: how long a comment takes from the reader's POST to ingest
// until the read API lists it. Starts the three real services against a
// scratch database, posts N comments one at a time and polls the thread.
//   npm run bench:latency -- [--n 100]
import { parseArgs } from 'node:util';
import { migrateToLatest } from '@stammtisch/db';
import { startService } from '@stammtisch/testkit';
import pg from 'pg';
import { measurePostToVisible } from './latency.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '100' } } });
const n = Number(values.n);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `stammtisch_bench_${process.pid}`;
const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${database}`;
const adminKey = 'bench-admin-key-0123456789abcdef';
const env = {
  DATABASE_URL: databaseUrl.toString(),
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `bench${process.pid}`,
  ADMIN_KEY: adminKey,
  RATE_LIMIT_PER_MINUTE: '0',
  LOG_LEVEL: 'warn',
};

await migrateToLatest(env.DATABASE_URL);
const services = await Promise.all([
  startService('ingest', env),
  startService('worker', env),
  startService('api', env),
]);
const [ingest, , api] = services;
try {
  await fetch(`${api!.url}/v1/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'bench', name: 'Bench', origins: ['*'], moderation: 'post' }),
  });
  const result = await measurePostToVisible({
    ingestUrl: ingest!.url,
    apiUrl: api!.url,
    siteId: 'bench',
    threadKey: '/latency',
    n,
  });
  console.log(
    `POST → visible over ${result.n} comments: median ${result.medianMs} ms, p90 ${result.p90Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`,
  );
  console.log(JSON.stringify(result));
} finally {
  await Promise.all(services.map((s) => s.stop()));
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists "${database}" with (force)`);
  await client.end();
}
