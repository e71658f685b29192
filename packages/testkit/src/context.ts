import { randomBytes } from 'node:crypto';
import { type DB, createDatabase, quoteIdentifier } from '@stammtisch/db';
import { Redis } from 'ioredis';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from './global-setup.js';

export interface TestContext {
  /** A database of this test file's own, cloned from the migrated template. */
  databaseUrl: string;
  db: DB;
  redisUrl: string;
  /** A Redis key prefix of this file's own (queues, rate limits, pub/sub channel). */
  redisPrefix: string;
  redis: Redis;
  /** Drops the database and every Redis key under the prefix. */
  cleanup: () => Promise<void>;
}

/** Call in `beforeAll`; call `cleanup` in `afterAll`. */
export async function createTestContext(): Promise<TestContext> {
  const adminUrl = inject('postgresAdminUrl');
  const template = inject('templateDatabase');
  const name = `stammtisch_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await cloneDatabase(adminUrl, template, name);
  const databaseUrl = withDatabase(adminUrl, name);
  const db = createDatabase({ url: databaseUrl, poolSize: 5 });
  const redisUrl = inject('redisUrl');
  const redisPrefix = `t${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  return {
    databaseUrl,
    db,
    redisUrl,
    redisPrefix,
    redis,
    async cleanup() {
      await db.destroy();
      await deleteKeys(redis, `${redisPrefix}*`);
      await redis.quit();
      await dropDatabase(adminUrl, name);
    },
  };
}

async function cloneDatabase(adminUrl: string, template: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${quoteIdentifier(name)} template ${quoteIdentifier(template)}`);
        return;
      } catch (error) {
        // Two files cloning the same template at the same instant: Postgres refuses one; try again.
        if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await client.end();
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}
