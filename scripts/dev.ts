// `npm start`: migrate, make sure a demo site exists, start ingest, worker and
// api (and the demo blog page) as child processes, and print how to try it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDatabase, createSite, findSite, migrateToLatest } from '@stammtisch/db';
import { buildEmbedScript, buildModerateScript } from '@stammtisch/widget';
import { startDemoServer } from './demo-server.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const env = { ...process.env };
env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/comments';
env.REDIS_URL ??= 'redis://127.0.0.1:6379';
const apiPort = Number(env.API_PORT ?? 8080);
const ingestPort = Number(env.INGEST_PORT ?? 8081);
const demoPort = Number(env.DEMO_PORT ?? 8090);
env.PUBLIC_API_URL ??= `http://localhost:${apiPort}`;
env.PUBLIC_INGEST_URL ??= `http://localhost:${ingestPort}`;

// A development admin key that survives restarts, kept out of git.
const keyFile = `${root}.dev-admin-key`;
if (!env.ADMIN_KEY) {
  if (!existsSync(keyFile)) writeFileSync(keyFile, `adm_${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  env.ADMIN_KEY = readFileSync(keyFile, 'utf8').trim();
}

console.log(`Migrating ${env.DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')} …`);
await migrateToLatest(env.DATABASE_URL);
const db = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
const demoOrigins = [`http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`];
if (!(await findSite(db, 'demo'))) {
  await createSite(db, { id: 'demo', name: 'Demo-Blog', origins: demoOrigins, moderation: 'auto', settings: { locale: 'de' } });
  console.log('Created the site "demo".');
}
await db.destroy();

// The api serves dist/embed.js as it finds it; build it from the current sources so a
// stale build is never served (the demo page's CSP allows the current widget CSS by hash).
const embed = await buildEmbedScript();
console.log(`Built /embed.js: ${embed.gzipBytes} bytes gzipped.`);
// Likewise the moderation page's script (/moderate/app.js).
await buildModerateScript();

const children: ChildProcess[] = [];
function start(name: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping everything.`);
      void stopAll(1);
    }
  });
  children.push(child);
}
for (const name of ['ingest', 'worker', 'api']) start(name);
const demo = await startDemoServer({ port: demoPort, apiUrl: env.PUBLIC_API_URL, ingestUrl: env.PUBLIC_INGEST_URL });

let stopping = false;
async function stopAll(code: number) {
  stopping = true;
  demo.close();
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(null);
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

// Wait until all three answer, then show the newcomer what to do.
const deadline = Date.now() + 60_000;
for (const port of [ingestPort, Number(env.WORKER_PORT ?? 8082), apiPort]) {
  while (
    !(await fetch(`http://127.0.0.1:${port}/healthz`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`service on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
console.log(`
Stammtisch is running.
  api     ${env.PUBLIC_API_URL}   (reads, /embed.js, /moderate, admin API)
  ingest  ${env.PUBLIC_INGEST_URL}   (new comments)
  worker  http://localhost:${env.WORKER_PORT ?? 8082}/metrics
  demo    http://localhost:${demoPort}/   (a German blog article with the widget)

Admin key: ${env.ADMIN_KEY}

Post a comment:
  curl -i -X POST ${env.PUBLIC_INGEST_URL}/v1/sites/demo/comments -H 'Content-Type: application/json' \\
    -d '{"thread":{"key":"/kleine-fluchten"},"author":{"name":"Anna"},"body":"Schöner Artikel, danke!"}'

Read the thread:
  curl ${env.PUBLIC_API_URL}/v1/sites/demo/threads/%2Fkleine-fluchten/comments

Held comments (moderation queue):
  curl -H 'Authorization: Bearer ${env.ADMIN_KEY}' '${env.PUBLIC_API_URL}/v1/moderation/queue?site=demo'
`);
