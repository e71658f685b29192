import { ApiEnv, DatabaseEnv, IdentityEnv, LogEnv, RedisEnv, loadConfig } from '@stammtisch/config';

export const ApiConfig = DatabaseEnv.extend(RedisEnv.shape)
  .extend(LogEnv.shape)
  .extend(ApiEnv.shape)
  .extend(IdentityEnv.shape);

export function loadApiConfig(env: Record<string, string | undefined>) {
  return loadConfig(ApiConfig, env);
}
