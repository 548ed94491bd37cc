import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('Redis configuration: URL, Sentinel, Cluster', () => {
  it('reads a sentinel list and master name; REDIS_URL is then not needed', () => {
    const c = loadConfig({ REDIS_SENTINELS: '10.0.0.1:26379, sentinel-b:26380,[::1]:26381', REDIS_SENTINEL_NAME: 'konveyer-master' });
    expect(c.redis).toEqual({ url: undefined, sentinelName: 'konveyer-master', sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: 'sentinel-b', port: 26380 }, { host: '::1', port: 26381 }], clusterNodes: undefined });
    expect(loadConfig({}).redis.sentinelName).toBe('mymaster');
  });

  it('names every bad host:port', () => {
    expect(() => loadConfig({ REDIS_SENTINELS: 'a:1,b,c:70000' })).toThrow(ConfigError);
    try {
      loadConfig({ REDIS_SENTINELS: 'a:1,b,c:70000' });
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toMatch(/"b" is not host:port[\s\S]*"c:70000" is not host:port/);
    }
  });

  it('wraps the queue prefix in a {hash tag} for a Cluster, keeps one already there', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'n1:7000' }).queue.prefix).toBe('{konveyer}');
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'n1:7000', QUEUE_PREFIX: 'kv:{jobs}' }).queue.prefix).toBe('kv:{jobs}');
    expect(loadConfig({ QUEUE_PREFIX: 'plain' }).queue.prefix).toBe('plain');
  });
});
