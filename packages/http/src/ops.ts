import { createRoute } from '@hono/zod-openapi';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { openApiRouter } from './openapi-router.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

const tags = ['Operations'];

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags,
  summary: 'Process alive',
  responses: { 200: { description: 'ok' } },
});
const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags,
  summary: 'Postgres and Redis answer',
  responses: { 200: { description: 'ready' }, 503: { description: 'Postgres or Redis does not answer' } },
});
const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags,
  summary: 'Prometheus metrics',
  responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
});

/**
 * `/healthz` (the process answers), `/readyz` (every dependency answers
 * within a second; 503 otherwise) and `/metrics` (Prometheus text format).
 */
export function opsRoutes(options: { registry: Registry; checks: ReadinessCheck[]; isShuttingDown?: () => boolean }) {
  const app = openApiRouter();
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' }));
  app.openapi(readyRoute, async (c) => {
    if (options.isShuttingDown?.()) return c.json({ status: 'shutting_down' }, 503);
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 1000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message || 'failed'] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    return c.json({ status: ready ? 'ok' : 'unavailable', checks: Object.fromEntries(results) }, ready ? 200 : 503);
  });
  app.openapi(metricsRoute, async (c) =>
    c.text(await options.registry.metrics(), 200, { 'Content-Type': options.registry.contentType }),
  );
  return app;
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
