import { createSiteCache } from '@stammtisch/db';
import { createLogger, createMetricsRegistry } from '@stammtisch/http';
import { COMMENTS_QUEUE, createProducerConnection } from '@stammtisch/queue';
import type { TestContext } from '@stammtisch/testkit';
import { Queue } from 'bullmq';
import { type ApiDeps, createApp } from '../src/app.js';
import { createReadCache } from '../src/reads/read-cache.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** The api app against the test file's database and Redis prefix, as main.ts would build it. */
export function buildApi(ctx: TestContext, overrides: Partial<ApiDeps> = {}) {
  const redis = createProducerConnection(ctx.redisUrl);
  const queue = new Queue(COMMENTS_QUEUE, { connection: redis, prefix: ctx.redisPrefix });
  const siteCache = createSiteCache(ctx.db);
  const readCache = createReadCache();
  const decided: string[] = [];
  const app = createApp({
    db: ctx.db,
    queue,
    siteCache,
    readCache,
    logger: createLogger({ service: 'api-test', level: 'silent' }),
    registry: createMetricsRegistry('api-test'),
    readiness: [],
    adminKey: ADMIN_KEY,
    ipHashSecret: 'test-secret-test-secret',
    onSiteChanged: async (siteId) => {
      siteCache.invalidateSite(siteId);
      readCache.invalidateSite(siteId);
    },
    onDecided: async (results) => {
      for (const r of results) {
        readCache.invalidateThread(r.siteId, r.threadKey);
        decided.push(r.id);
      }
    },
    ...overrides,
  });
  return {
    app,
    queue,
    decided,
    readCache,
    async close() {
      await queue.close();
      await redis.quit();
    },
    request(path: string, init: RequestInit & { key?: string; json?: unknown } = {}) {
      const headers = new Headers(init.headers);
      if (init.key) headers.set('authorization', `Bearer ${init.key}`);
      if (init.json !== undefined) headers.set('content-type', 'application/json');
      return app.request(path, {
        ...init,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
    },
  };
}
