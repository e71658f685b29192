import { DatabaseEnv, LogEnv, RedisEnv, WorkerEnv, loadConfig } from '@stammtisch/config';

export const WorkerConfig = DatabaseEnv.extend(RedisEnv.shape).extend(LogEnv.shape).extend(WorkerEnv.shape);

export function loadWorkerConfig(env: Record<string, string | undefined>) {
  return loadConfig(WorkerConfig, env);
}
