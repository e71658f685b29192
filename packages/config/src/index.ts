import { z } from 'zod';

/**
 * Environment parsing shared by every service. Each service composes the
 * fragments it needs into one schema and calls `loadConfig` once, in main.ts.
 */

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A boolean flag from the environment: "1", "true", "yes" and "on" are true. */
const flag = z
  .string()
  .optional()
  .transform((value) => value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()));

export const DatabaseEnv = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/comments'),
  /** Optional read replica for the api's read path; falls back to DATABASE_URL. */
  DATABASE_READ_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

/** "host:port,host:port" (seed nodes of a Redis Cluster; the client discovers the rest). */
const clusterNodes = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value.trim() === '') return undefined;
    const nodes = value.split(',').map((part) => part.trim());
    const parsed = nodes.map((node) => node.match(/^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/));
    if (parsed.some((m) => !m || Number(m[2]) > 65535)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be host:port pairs separated by commas, e.g. redis-1:6379,redis-2:6379',
      });
      return z.NEVER;
    }
    return parsed.map((m) => ({ host: m![1]!.replace(/^\[|\]$/g, ''), port: Number(m![2]) }));
  });

export const RedisEnv = z.object({
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Seed nodes of a Redis Cluster; when set, every service uses the Cluster client and REDIS_URL is ignored. */
  REDIS_CLUSTER_NODES: clusterNodes,
  /** Key prefix for BullMQ and our own keys (on a cluster the queues add their own hash tags; no braces needed). */
  REDIS_PREFIX: z.string().min(1).default('stammtisch'),
  /** Comment queues; sites are hashed over them so a Redis Cluster spreads the queue traffic over its masters. 1 = one queue "comments". */
  QUEUE_SHARDS: z.coerce.number().int().min(1).max(256).default(1),
});

export const LogEnv = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

/** Secret for keyed hashes of client IPs (ingest hashes, api hashes IP bans the same way); IPs are never stored in clear. */
export const IpHashEnv = z.object({
  IP_HASH_SECRET: z.string().min(16, 'must be at least 16 characters').default('development-only-ip-hash-secret'),
});

export const IngestEnv = IpHashEnv.extend({
  INGEST_PORT: port(8081),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  /** New comments per site and minute from all clients together (a flood from many addresses); 0 turns it off. */
  SITE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  TRUST_PROXY: flag,
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

export const WorkerEnv = z.object({
  WORKER_PORT: port(8082),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(100),
  /** How long the first comment of a batch waits for others (ms); the batch is at most WORKER_CONCURRENCY jobs. */
  WORKER_BATCH_WAIT_MS: z.coerce.number().min(0).max(100).default(1),
  /** How long a job's lock lives; a job whose worker died is handed to another after about this long. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

export const ApiEnv = IpHashEnv.extend({
  API_PORT: port(8080),
  ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  PUBLIC_API_URL: z.string().url().optional(),
  PUBLIC_INGEST_URL: z.string().url().optional(),
  TRUST_PROXY: flag,
  WEBHOOK_ALLOW_PRIVATE: flag,
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

/** Outgoing mail (worker). Without SMTP_URL mail is off: nothing is sent, and the worker says so once. */
export const MailEnv = z.object({
  /** e.g. smtp://user:pass@mail.example:587 or smtps://…:465 */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Stammtisch <no-reply@localhost>'),
  /** Where the links in mails (confirm, unsubscribe, moderation page) point. */
  PUBLIC_API_URL: z.string().url().default('http://localhost:8080'),
});

/** Webhook delivery (worker): the same private-address rule the api applies when a webhook is created. */
export const WebhookDeliveryEnv = z.object({
  WEBHOOK_ALLOW_PRIVATE: flag,
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  /** Deliveries in a row that fail after every retry before a webhook is disabled. */
  WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(5),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once. A bad environment fails at start with one
 * message that lists every bad key, not just the first.
 */
export function loadConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined>,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}
export * from './identity.js';
