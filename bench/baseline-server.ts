// The ceilings the services are compared with: bare Hono on @hono/node-server,
// in its own process like the services, doing only what cannot be avoided.
//   GET  /json   the given JSON file's bytes (the same thread JSON the api serves)
//   POST /post   parses the JSON body and answers 202 (a bare echo)
//   POST /add    parses the JSON body, does one BullMQ add, answers 202 (ingest's floor)
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createProducerConnection } from '@stammtisch/queue';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { v7 as uuidv7 } from 'uuid';

const body = process.env.BENCH_JSON_FILE ? readFileSync(process.env.BENCH_JSON_FILE, 'utf8') : '{"ok":true}';
const queue = process.env.REDIS_URL
  ? new Queue(process.env.BENCH_QUEUE ?? 'bench-add', {
      connection: createProducerConnection(process.env.REDIS_URL, { enableOfflineQueue: true }),
      prefix: process.env.REDIS_PREFIX ?? 'bench',
    })
  : null;
const app = new Hono();
app.get('/healthz', (c) => c.text('ok'));
app.get('/json', (c) => c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' }));
app.post('/post', async (c) => {
  const input = (await c.req.json()) as { body?: unknown };
  if (typeof input.body !== 'string') return c.json({ error: 'body' }, 400);
  return c.json({ id: uuidv7(), status: 'pending' }, 202);
});
app.post('/add', async (c) => {
  const input = (await c.req.json()) as { body?: unknown };
  if (typeof input.body !== 'string' || !queue) return c.json({ error: 'body' }, 400);
  const id = uuidv7();
  await queue.add('comment', { id, ...input, receivedAt: Date.now() }, { jobId: id, removeOnComplete: true });
  return c.json({ id, status: 'pending' }, 202);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
