/** `konveyer keys create --client … --scopes …,all-clients,pii` and `keys list`, as an operator runs them. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage/index.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';

const bin = new URL('../../bin/konveyer.mjs', import.meta.url).pathname;
let storage: Storage;
let env: Record<string, string>;

beforeAll(async () => {
  storage = await openTestStorage();
  const mongo = new URL(serviceUrls().mongoUri);
  mongo.pathname = `/${storage.conn.db!.databaseName}`;
  env = { ...process.env, REDIS_URL: serviceUrls().redisUrl, MONGODB_URI: mongo.toString(), QUEUE_PREFIX: testPrefix('keys'), LOG_LEVEL: 'warn' } as Record<string, string>;
}, 60_000);
afterAll(async () => storage && dropStorage(storage));

async function konveyer(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { encoding: 'utf8', env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('konveyer keys', () => {
  it('creates a key of a client with the new scopes; the token finds it with that client', async () => {
    const res = await konveyer('keys', 'create', '--name', 'billing-reader', '--client', 'billing', '--scopes', 'read,pii');
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ name: 'billing-reader', client: 'billing', scopes: ['read', 'pii'] });
    expect(await storage.apiKeys.findByToken(out.token)).toMatchObject({ clientId: 'billing', scopes: ['read', 'pii'] });
    const ops = JSON.parse((await konveyer('keys', 'create', '--name', 'ops', '--scopes', 'read,ops,all-clients')).stdout);
    expect(ops.client).toBe('default');
    const list = await konveyer('keys', 'list');
    expect(list.stdout).toMatch(new RegExp(`${out.id}\\tactive \\tbilling\\tread,pii\\tbilling-reader`));
  }, 240_000);

  it('refuses a malformed client id and an unknown scope with exit 2', async () => {
    const bad = await konveyer('keys', 'create', '--name', 'x', '--client', 'Bad Client!', '--scopes', 'read');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--client: "Bad Client!" is not a client id/);
    const scope = await konveyer('keys', 'create', '--name', 'x', '--scopes', 'read,everything');
    expect(scope.code).toBe(2);
    expect(scope.stderr).toMatch(/unknown scope\(s\) everything/);
  }, 60_000);
});
