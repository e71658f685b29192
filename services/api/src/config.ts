import { ApiEnv, DatabaseEnv, LogEnv, RedisEnv, loadConfig } from '@stammtisch/config';

export const ApiConfig = DatabaseEnv.extend(RedisEnv.shape).extend(LogEnv.shape).extend(ApiEnv.shape);

export function loadApiConfig(env: Record<string, string | undefined>) {
  return loadConfig(ApiConfig, env);
}
