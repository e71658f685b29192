// The ceiling the services are compared with: bare Hono on @hono/node-server,
// in its own process like the services, doing only what cannot be avoided.
//   GET  /json   the given JSON file's bytes (the same thread JSON the api serves)
//   POST /post   parses the JSON body and answers 202
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { v7 as uuidv7 } from 'uuid';

const body = process.env.BENCH_JSON_FILE ? readFileSync(process.env.BENCH_JSON_FILE, 'utf8') : '{"ok":true}';
const app = new Hono();
app.get('/healthz', (c) => c.text('ok'));
app.get('/json', (c) => c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' }));
app.post('/post', async (c) => {
  const input = (await c.req.json()) as { body?: unknown };
  if (typeof input.body !== 'string') return c.json({ error: 'body' }, 400);
  return c.json({ id: uuidv7(), status: 'pending' }, 202);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
