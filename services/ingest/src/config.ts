import { CommenterTokenEnv, DatabaseEnv, IngestEnv, LogEnv, RedisEnv, loadConfig } from '@stammtisch/config';

export const IngestConfig = DatabaseEnv.extend(RedisEnv.shape)
  .extend(LogEnv.shape)
  .extend(IngestEnv.shape)
  .extend(CommenterTokenEnv.shape);
export type IngestConfig = ReturnType<typeof loadIngestConfig>;

export function loadIngestConfig(env: Record<string, string | undefined>) {
  return loadConfig(IngestConfig, env);
}
