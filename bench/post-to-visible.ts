// POST → visible: how long a comment takes from the reader's POST to ingest
// until the read API lists it. Starts the three real services against a
// scratch database, posts N comments one at a time and polls the thread.
//   npm run bench:latency -- [--n 100]
import { parseArgs } from 'node:util';
import { migrateToLatest } from '@stammtisch/db';
import { startService } from '@stammtisch/testkit';
import pg from 'pg';

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
const services = await Promise.all([startService('ingest', env), startService('worker', env), startService('api', env)]);
const [ingest, , api] = services;
try {
  await fetch(`${api!.url}/v1/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'bench', name: 'Bench', origins: ['*'], moderation: 'post' }),
  });
  const threadUrl = `${api!.url}/v1/sites/bench/threads/${encodeURIComponent('/latency')}/comments?sort=newest&limit=5`;
  const samples: number[] = [];
  for (let i = 0; i < n + 5; i++) {
    const started = performance.now();
    const res = await fetch(`${ingest!.url}/v1/sites/bench/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ thread: { key: '/latency' }, author: { name: `Leserin ${i}` }, body: `Ein ganz normaler Kommentar Nummer ${i} über kleine Fluchten.`, renderedAt: Date.now() - 20_000 }),
    });
    const { id } = (await res.json()) as { id: string };
    for (;;) {
      const page = (await (await fetch(threadUrl)).json()) as { comments: Array<{ id: string }> };
      if (page.comments.some((c) => c.id === id)) break;
      if (performance.now() - started > 10_000) throw new Error(`comment ${id} not visible after 10 s`);
      await new Promise((r) => setTimeout(r, 1));
    }
    // The first few warm up JIT, connections and the model.
    if (i >= 5) samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(1);
  console.log(`POST → visible over ${samples.length} comments: median ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
  console.log(JSON.stringify({ n: samples.length, medianMs: Number(at(0.5)), p90Ms: Number(at(0.9)), p99Ms: Number(at(0.99)) }));
} finally {
  await Promise.all(services.map((s) => s.stop()));
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists "${database}" with (force)`);
  await client.end();
}
