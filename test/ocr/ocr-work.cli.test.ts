/**
 * `konveyer ocr work` as ops run it: the real CLI in a child process against real Redis and the
 * MongoDB-wire server. It reads a queued document, shows in `robots` with role `ocr`, and on
 * SIGTERM stops and exits 0. `konveyer robots --only ocr` is refused: OCR is its own role.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoRobotStore } from '../../storage/robots.repo.ts';
import { submitLookups } from '../../queues/submit.ts';
import { generateWorld } from '../../sandbox/data/index.ts';
import { documentSpecFromProceeding, renderFsspDocument } from '../../sandbox/epgu/documents/index.ts';
import { deriveProceedings } from '../../sandbox/fssp/fssp.data.ts';
import type { Storage } from '../../storage/index.ts';
import { queueCache, waitForFinal } from '../helpers/lookups.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix, testRedis } from '../helpers/services.ts';

const bin = new URL('../../bin/konveyer.mjs', import.meta.url).pathname;
const prefix = testPrefix('ocr-cli');
const redis = testRedis();
const queues = queueCache(redis, () => prefix);
let storage: Storage;
let env: Record<string, string>;

beforeAll(async () => {
  storage = await openTestStorage();
  const mongo = new URL(serviceUrls().mongoUri);
  mongo.pathname = `/${storage.conn.db!.databaseName}`;
  env = { ...process.env, REDIS_URL: serviceUrls().redisUrl, MONGODB_URI: mongo.toString(), QUEUE_PREFIX: prefix, OCR_WORKERS: '1', HEARTBEAT_SECS: '1', LOG_LEVEL: 'warn' } as Record<string, string>;
}, 60_000);

afterAll(async () => {
  await queues.close();
  redis.disconnect();
  await dropStorage(storage);
});

describe('konveyer ocr work', () => {
  it('says in --help that robots do not take ocr.document', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'ocr', 'work', '--help'], { encoding: 'utf8' });
    expect(stdout).toContain('ocr.document');
    expect(stdout).toMatch(/konveyer robots` never does/);
  });

  it('refuses `robots --only ocr`, naming the OCR role', async () => {
    const err = await promisify(execFile)(process.execPath, [bin, 'robots', '--only', 'ocr'], { encoding: 'utf8', env }).catch((e: unknown) => e as { code: number; stderr: string });
    expect((err as { code: number }).code).not.toBe(0);
    expect((err as { stderr: string }).stderr).toContain('konveyer ocr work');
  });

  it('reads a queued document, beats as role ocr, and exits 0 on SIGTERM', { timeout: 180_000 }, async () => {
    const world = generateWorld({ seed: 42 });
    const spec = documentSpecFromProceeding(deriveProceedings(world)[5]!, 'progress_notice', 7, world);
    const body = await renderFsspDocument(spec, { scanned: false, seed: 7 });
    const item = await storage.evidence.append({ jobId: 'up-1', lookupId: 'up-1', robot: 'test', step: 'upload', kind: 'http_response', url: 'file:///n.pdf', contentType: 'application/pdf', at: new Date() }, body);
    await storage.documents.insert({
      _id: 'cli-doc', origin: 'upload', account: null, feedId: null, attachmentId: null, fileName: 'n.pdf', contentType: 'application/pdf', size: body.length,
      sha256: item.sha256, evidenceId: item._id, requestId: null, applicationNumber: null, ipNumber: null, title: null, subTitle: null,
      receivedAt: new Date(), source: { url: 'file:///n.pdf', fetchedAt: new Date(), evidenceId: item._id, parserVersion: 'test' },
    });
    const { lookups } = await submitLookups({ lookups: storage.lookups, queueFor: queues.queueFor, jobOptions: { attempts: 2, backoffMs: 100 } }, [
      { type: 'ocr.document', input: { documentId: 'cli-doc' } },
    ]);
    const child = spawn(process.execPath, [bin, 'ocr', 'work'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const [done] = await waitForFinal(storage.lookups, [lookups[0]!.id], 120_000);
      expect(done!.status, stderr).toBe('succeeded');
      const doc = (await storage.documents.get('cli-doc'))!;
      expect(doc).toMatchObject({ status: 'done', kind: 'progress_notice', ocr: false });
      expect(doc.fields?.ipNumber).toBe(spec.ipNumber);
      const beats = await new MongoRobotStore(storage.conn).list();
      const mine = beats.find((b) => b.pid === child.pid);
      expect(mine).toMatchObject({ role: 'ocr', queues: ['ocr.document'], status: 'running' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const after = (await new MongoRobotStore(storage.conn).list()).find((b) => b.pid === child.pid);
    expect(after?.status).toBe('stopped');
  });
});
