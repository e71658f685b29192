// `npm start` (compiled: dist/start.js) and `npm run dev` (tsx, services in watch mode):
// find or start Postgres and Redis, migrate, make sure a demo site exists, run ingest,
// worker and api under the supervisor (a crashed one is started again), serve the demo
// blog page, and print how to try it. SIGTERM or Ctrl-C stops everything gracefully.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { createDatabase, createSite, findSite, migrateToLatest } from '@stammtisch/db';
import { startDemoServer } from '../demo-server.js';
import { planPostgres } from './local-postgres.js';
import { planRedis } from './local-redis.js';
import { type LocalService, SetupError } from './local-services.js';
import { ROOT } from './paths.js';
import { type Supervisor, serveSupervisorStatus, startSupervisor } from './supervisor.js';

const dev = process.argv.includes('--dev');
const say = (line: string) => console.log(`[start] ${line}`);
const env = { ...process.env };
const apiPort = Number(env.API_PORT ?? 8080);
const ingestPort = Number(env.INGEST_PORT ?? 8081);
const workerPort = Number(env.WORKER_PORT ?? 8082);
const supervisorPort = Number(env.SUPERVISOR_PORT ?? 8083);
const demoPort = Number(env.DEMO_PORT ?? 8090);
const dataDir = path.resolve(ROOT, env.STAMMTISCH_DATA_DIR ?? '.stammtisch');
env.PUBLIC_API_URL ??= `http://localhost:${apiPort}`;
env.PUBLIC_INGEST_URL ??= `http://localhost:${ingestPort}`;

const locals: LocalService[] = [];
let supervisor: Supervisor | undefined;
const servers: Server[] = [];
let stopping: Promise<void> | undefined;

async function stopAll(code: number): Promise<void> {
  stopping ??= (async () => {
    for (const server of servers) server.close();
    await supervisor?.stopAll();
    // Postgres and Redis last: the services finish their work against them first.
    for (const local of locals.reverse()) await local.stop();
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main(): Promise<void> {
  if (!dev) {
    const missing = ['ingest', 'worker', 'api'].filter(
      (name) => !existsSync(path.join(ROOT, `services/${name}/dist/main.js`)),
    );
    if (missing.length)
      throw new SetupError(
        `${missing.join(', ')} not built: run \`npm run build\` (or \`npm run dev\` to run the sources).`,
      );
  }
  // Plan both first, so that what is missing is said before anything is started.
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const postgres = await planPostgres(env, dataDir);
  const redis = await planRedis(env, dataDir);
  const pgStarted = Date.now();
  const db = await postgres();
  locals.push(db);
  if (db.process)
    say(
      `Postgres did not answer, so an embedded one runs on ${new URL(db.url).host} (data in ${db.dataDir}, up in ${Date.now() - pgStarted} ms).`,
    );
  const queue = await redis();
  locals.push(queue);
  if (queue.process)
    say(
      `Redis did not answer, so a local redis-server runs on ${new URL(queue.url).host} (AOF on, data in ${queue.dataDir}).`,
    );
  env.DATABASE_URL = db.url;
  env.REDIS_URL = queue.url;

  // A development admin key that survives restarts, kept out of git.
  const keyFile = path.join(ROOT, '.dev-admin-key');
  if (!env.ADMIN_KEY) {
    if (!existsSync(keyFile)) writeFileSync(keyFile, `adm_${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    env.ADMIN_KEY = readFileSync(keyFile, 'utf8').trim();
  }

  say(`Migrating ${db.url.replace(/\/\/[^@]*@/, '//…@')} …`);
  await migrateToLatest(db.url);
  const conn = createDatabase({ url: db.url, poolSize: 1 });
  const demoOrigins = [`http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`];
  if (!(await findSite(conn, 'demo'))) {
    await createSite(conn, {
      id: 'demo',
      name: 'Demo-Blog',
      origins: demoOrigins,
      moderation: 'auto',
      settings: { locale: 'de' },
    });
    say('Created the site "demo".');
  }
  await conn.destroy();

  if (dev) {
    // The api serves packages/widget/dist/embed.js as it finds it; in development build it from the
    // current sources so a stale build is never served (npm run build does it for npm start).
    const { buildEmbedScript } = await import('@stammtisch/widget');
    const embed = await buildEmbedScript();
    say(`Built /embed.js: ${embed.gzipBytes} bytes gzipped.`);
  }

  const tsxCli = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  const args = (name: string) =>
    dev
      ? [tsxCli, 'watch', '--clear-screen=false', `services/${name}/src/main.ts`]
      : ['--enable-source-maps', `services/${name}/dist/main.js`];
  supervisor = startSupervisor(
    ['ingest', 'worker', 'api'].map((name) => ({ name, args: args(name) })),
    { cwd: ROOT, env, log: say, stopTimeoutMs: Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000) + 5_000 },
  );
  servers.push(await serveSupervisorStatus(supervisor, supervisorPort));
  servers.push(
    await startDemoServer({
      port: demoPort,
      apiUrl: env.PUBLIC_API_URL as string,
      ingestUrl: env.PUBLIC_INGEST_URL as string,
    }),
  );

  // Wait until all three answer, then show the newcomer what to do.
  const deadline = Date.now() + 120_000;
  for (const port of [ingestPort, workerPort, apiPort]) {
    while (
      !(await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.ok)
        .catch(() => false))
    ) {
      if (Date.now() > deadline)
        throw new SetupError(`the service on port ${port} did not answer in 120 s (see its log lines above)`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  console.log(`
Stammtisch is running${dev ? ' (development: services restart when their sources change)' : ''}.
  api         ${env.PUBLIC_API_URL}   (reads, /embed.js, /moderate, admin API)
  ingest      ${env.PUBLIC_INGEST_URL}   (new comments)
  worker      http://localhost:${workerPort}/metrics
  supervisor  http://127.0.0.1:${supervisorPort}/metrics   (restarts; /services lists the processes)
  demo        http://localhost:${demoPort}/   (a German blog article with the widget)

Admin key: ${env.ADMIN_KEY}

Post a comment (it shows under the demo article):
  curl -i -X POST ${env.PUBLIC_INGEST_URL}/v1/sites/demo/comments -H 'Content-Type: application/json' \\
    -d '{"thread":{"key":"/2012/03/kleine-fluchten"},"author":{"name":"Anna"},"body":"Schöner Artikel, danke!"}'

Read the thread:
  curl ${env.PUBLIC_API_URL}/v1/sites/demo/threads/%2F2012%2F03%2Fkleine-fluchten/comments

Held comments (moderation queue):
  curl -H 'Authorization: Bearer ${env.ADMIN_KEY}' '${env.PUBLIC_API_URL}/v1/moderation/queue?site=demo'
`);
}

main().catch((error: unknown) => {
  // One plain line, never a stack trace: say what is missing or wrong and how to get it.
  const message =
    error instanceof SetupError
      ? error.message
      : `could not start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(`npm start: ${message}`);
  void stopAll(1);
});
