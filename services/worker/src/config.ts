import { DatabaseEnv, LogEnv, MailEnv, RedisEnv, WebhookDeliveryEnv, WorkerEnv, loadConfig } from '@stammtisch/config';

export const WorkerConfig = DatabaseEnv.extend(RedisEnv.shape)
  .extend(LogEnv.shape)
  .extend(WorkerEnv.shape)
  .extend(MailEnv.shape)
  .extend(WebhookDeliveryEnv.shape);

export function loadWorkerConfig(env: Record<string, string | undefined>) {
  return loadConfig(WorkerConfig, env);
}
