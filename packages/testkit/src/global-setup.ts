import { randomBytes } from 'node:crypto';
import { migrateToLatest, quoteIdentifier } from '@stammtisch/db';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { isPortOpen } from '@stammtisch/http/port-probe';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    templateDatabase: string;
    redisUrl: string;
    runId: string;
  }
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

/**
 * Finds Postgres and Redis for the test run: DATABASE_URL / REDIS_URL when
 * set, else the default local services when they answer, else containers
 * (testcontainers) when a Docker engine answers, else a clear error.
 * Then builds one migrated template database that every test file clones.
 */
export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<unknown>> = [];
  const postgresAdminUrl = await findPostgres(stops);
  const redisUrl = await findRedis(stops);

  const runId = randomBytes(3).toString('hex');
  const templateDatabase = `stammtisch_tpl_${runId}`;
  const templateUrl = withDatabase(postgresAdminUrl, templateDatabase);
  await migrateToLatest(templateUrl);

  project.provide('postgresAdminUrl', postgresAdminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('redisUrl', redisUrl);
  project.provide('runId', runId);

  return async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl });
    await client.connect();
    try {
      // Test files drop their own databases; this sweeps what a crashed file left behind.
      const leftovers = await client.query<{ datname: string }>(
        'select datname from pg_database where datname like $1',
        [`stammtisch_%${runId}%`],
      );
      for (const { datname } of leftovers.rows)
        await client.query(`drop database if exists ${quoteIdentifier(datname)} with (force)`);
    } finally {
      await client.end();
    }
    for (const stop of stops) await stop();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function findPostgres(stops: Array<() => Promise<unknown>>): Promise<string> {
  if (process.env.DATABASE_URL) return withDatabase(process.env.DATABASE_URL, 'postgres');
  if (await isPortOpen('127.0.0.1', 5432)) return LOCAL_POSTGRES;
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine').start();
    stops.push(() => container.stop());
    return withDatabase(container.getConnectionUri(), 'postgres');
  }
  throw new Error(
    'Tests need Postgres. Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres), run one on 127.0.0.1:5432, or start a Docker engine so testcontainers can.',
  );
}

async function findRedis(stops: Array<() => Promise<unknown>>): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await isPortOpen('127.0.0.1', 6379)) return LOCAL_REDIS;
  if (await dockerAnswers()) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    stops.push(() => container.stop());
    return container.getConnectionUrl();
  }
  throw new Error(
    'Tests need Redis. Set REDIS_URL (e.g. redis://127.0.0.1:6379), run one on 127.0.0.1:6379, or start a Docker engine so testcontainers can.',
  );
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
