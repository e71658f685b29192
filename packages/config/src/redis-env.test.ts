import { describe, expect, it } from 'vitest';
import { ConfigError, RedisEnv, loadConfig } from './index.js';

describe('RedisEnv', () => {
  it('defaults to one Redis and one comment queue', () => {
    expect(loadConfig(RedisEnv, {})).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'stammtisch',
      QUEUE_SHARDS: 1,
    });
  });

  it('reads REDIS_CLUSTER_NODES as host:port pairs and QUEUE_SHARDS as a number', () => {
    const config = loadConfig(RedisEnv, {
      REDIS_CLUSTER_NODES: 'redis-0.redis:6379, 10.0.0.2:7000,[::1]:7001',
      QUEUE_SHARDS: '16',
    });
    expect(config.REDIS_CLUSTER_NODES).toEqual([
      { host: 'redis-0.redis', port: 6379 },
      { host: '10.0.0.2', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
    expect(config.QUEUE_SHARDS).toBe(16);
  });

  it('refuses a node without a port and a shard count of 0, naming both', () => {
    try {
      loadConfig(RedisEnv, { REDIS_CLUSTER_NODES: 'redis-0,redis-1:6379', QUEUE_SHARDS: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('REDIS_CLUSTER_NODES: must be host:port pairs');
      expect(problems).toContain('QUEUE_SHARDS');
    }
  });
});
