import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createRedis } from '../../queues/redis.ts';
import { generateSigningKeyPem, keyringFromPems, openStorage, type EvidenceKeyring, type Storage } from '../../storage/index.ts';

/** Service URLs started once per run by test/setup/global-setup.ts. */
export const serviceUrls = () => ({ redisUrl: inject('redisUrl'), mongoUri: inject('mongoUri') });

/**
 * A fresh database per test file (dropped by `dropStorage`); evidence signed with a fresh key unless
 * one is given. `db`: open another connection to that database instead (a second robot process's
 * view of the same data); `monitorCommands`: the driver emits `commandStarted` for every command.
 */
export async function openTestStorage(options: { evidenceKeyring?: EvidenceKeyring; db?: string; monitorCommands?: boolean } = {}): Promise<Storage> {
  const evidenceKeyring = options.evidenceKeyring ?? keyringFromPems({ signingKeyPem: generateSigningKeyPem() });
  const db = options.db ?? `t_${randomUUID().slice(0, 8)}`;
  return openStorage({ uri: withDb(serviceUrls().mongoUri, db), db: 'unused', evidenceKeyring, monitorCommands: options.monitorCommands ?? false });
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
