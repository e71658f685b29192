import { z } from 'zod';
import { DatabaseEnv, LogEnv, MailEnv, RedisEnv, WebhookDeliveryEnv, WorkerEnv, loadConfig } from '@stammtisch/config';

export const WorkerConfig = DatabaseEnv.extend(RedisEnv.shape)
  .extend(LogEnv.shape)
  .extend(WorkerEnv.shape)
  .extend(MailEnv.shape)
  .extend(WebhookDeliveryEnv.shape)
  .extend({
    /** Where sites that set an Akismet key are checked (Akismet itself, or a compatible service). */
    AKISMET_URL: z.string().url().default('https://rest.akismet.com'),
    /** How long a comment waits for its answer before it is decided without one. */
    AKISMET_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(1500),
  });

export function loadWorkerConfig(env: Record<string, string | undefined>) {
  return loadConfig(WorkerConfig, env);
}
