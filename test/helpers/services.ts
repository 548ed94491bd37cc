import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createRedis } from '../../queues/redis.ts';
import { openStorage, type Storage } from '../../storage/index.ts';

/** Service URLs started once per run by test/setup/global-setup.ts. */
export const serviceUrls = () => ({ redisUrl: inject('redisUrl'), mongoUri: inject('mongoUri') });

/** A fresh database per test file (dropped by `dropStorage`). */
export async function openTestStorage(): Promise<Storage> {
  return openStorage({ uri: withDb(serviceUrls().mongoUri, `t_${randomUUID().slice(0, 8)}`), db: 'unused' });
}

export async function dropStorage(storage: Storage): Promise<void> {
  await storage.conn.dropDatabase().catch(() => undefined);
  await storage.close();
}

export function testRedis() {
  return createRedis(serviceUrls().redisUrl);
}

/** A fresh queue/key prefix per test file. */
export const testPrefix = (name: string) => `t-${name}-${randomUUID().slice(0, 8)}`;

function withDb(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}
