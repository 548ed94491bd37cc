/**
 * Vitest global setup: one embedded Redis and one MongoDB-wire server per `vitest run`, under
 * `<repo>/.run/test-<pid>/`, unless REDIS_URL and MONGODB_URI are both set already (CI with real
 * services). Tests read them with `inject('redisUrl')` / `inject('mongoUri')`; child processes
 * (the CLI under test) get them as REDIS_URL / MONGODB_URI.
 * Each test file still uses its own database name or queue prefix and drops it (STYLE.md §Tests).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { reapStale, repoRoot, startMongo, startRedis } from '../../storage/embedded/index.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = join(repoRoot, '.run', `test-${process.pid}`);
  const stops: Array<() => Promise<void>> = [];
  reapStale(runDir);
  try {
    const [redisUrl, mongo] = await Promise.all([
      process.env.REDIS_URL
        ? Promise.resolve(process.env.REDIS_URL)
        : startRedis({ runDir }).then((redis) => {
            stops.push(redis.stop);
            return redis.url;
          }),
      // MONGODB_URI, when set, is used as is (kind 'external').
      startMongo({ runDir }).then((m) => {
        stops.push(m.stop);
        return m;
      }),
    ]);
    project.provide('redisUrl', redisUrl);
    project.provide('mongoUri', mongo.uri);
    project.provide('mongoKind', mongo.kind);
    process.env.REDIS_URL = redisUrl;
    process.env.MONGODB_URI = mongo.uri;
  } catch (error) {
    await Promise.all(stops.map((stop) => stop()));
    rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
    rmSync(runDir, { recursive: true, force: true });
  };
}
