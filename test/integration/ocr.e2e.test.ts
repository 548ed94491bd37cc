/**
 * `ocr.document` end to end: real Redis, the MongoDB-wire server, tesseract.js. Documents (a
 * text-layer PDF, a scanned PDF made by the EPGU sandbox's renderer, and bad files) are stored as
 * `documents` with their bodies in the evidence store, one OCR lookup is queued for each, and the
 * OCR process role (`startOcrWorker`, what `konveyer ocr work` runs) reads them in this process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { startOcrWorker, runOcrDocument, type OcrWorker } from '../../ocr/index.ts';
import { ROBOT_JOB_NAMES } from '../../queues/names.ts';
import { createRedis } from '../../queues/redis.ts';
import { submitLookups, SubmitRejectedError, type SubmitRequest } from '../../queues/submit.ts';
import { generateWorld } from '../../sandbox/data/index.ts';
import { documentSpecFromProceeding, expectedFieldsOf, renderFsspDocument, type FsspDocumentSpec } from '../../sandbox/epgu/documents/index.ts';
import { deriveProceedings } from '../../sandbox/fssp/fssp.data.ts';
import type { Storage } from '../../storage/index.ts';
import { queueCache, waitForFinal } from '../helpers/lookups.ts';
import { dropStorage, openTestStorage, serviceUrls, testPrefix } from '../helpers/services.ts';
import { brokenPdf, encryptedPdf, notADocument } from '../ocr/bad-documents.ts';

const world = generateWorld({ seed: 42 });
const proceedings = deriveProceedings(world);
const textSpec = documentSpecFromProceeding(proceedings.find((p) => p.debtorKind === 'legal')!, 'ip_opened', 3, world);
const scanSpec = documentSpecFromProceeding(proceedings.find((p) => p.debtorKind === 'person')!, 'ip_ended', 4, world);

let storage: Storage;
let config: Config;
let worker: OcrWorker;
const redis = createRedis(serviceUrls().redisUrl);
const queues = queueCache(redis, () => config.queue.prefix);
const submit = (r: SubmitRequest[]) => submitLookups({ lookups: storage.lookups, queueFor: queues.queueFor, jobOptions: { attempts: config.queue.attempts, backoffMs: config.queue.backoffMs } }, r);

const expectedFields = (spec: FsspDocumentSpec) => expectedFieldsOf(spec).fields;

/** Stores `body` as evidence and a `documents` entry pointing at it (as epgu.inbox does). */
async function storeDocument(id: string, body: Buffer, fileName: string): Promise<void> {
  const item = await storage.evidence.append(
    { jobId: `upload-${id}`, lookupId: `upload-${id}`, robot: 'test', step: 'upload', kind: 'http_response', url: `file:///${fileName}`, contentType: 'application/pdf', at: new Date() },
    body,
  );
  await storage.documents.insert({
    _id: id, origin: 'upload', account: null, feedId: null, attachmentId: null, fileName, contentType: 'application/pdf', size: body.length,
    sha256: item.sha256, evidenceId: item._id, requestId: null, applicationNumber: null, ipNumber: null, title: null, subTitle: null,
    receivedAt: new Date(), source: { url: `file:///${fileName}`, fetchedAt: new Date(), evidenceId: item._id, parserVersion: 'test' },
  });
}

beforeAll(async () => {
  storage = await openTestStorage();
  config = loadConfig({
    REDIS_URL: serviceUrls().redisUrl,
    MONGODB_URI: serviceUrls().mongoUri,
    QUEUE_PREFIX: testPrefix('ocr'),
    JOB_ATTEMPTS: '3',
    JOB_BACKOFF_MS: '200',
    // One tesseract worker: the test machine is shared; production uses one per core.
    OCR_WORKERS: '1',
    LOG_LEVEL: 'silent',
  });
  const text = await renderFsspDocument(textSpec, { scanned: false, seed: 3 });
  await storeDocument('doc-text', text, 'opened.pdf');
  await storeDocument('doc-scan', await renderFsspDocument(scanSpec, { scanned: true, seed: 4 }), 'ended-scan.pdf');
  await storeDocument('doc-broken', brokenPdf(text), 'broken.pdf');
  await storeDocument('doc-encrypted', await encryptedPdf(), 'encrypted.pdf');
  await storeDocument('doc-notes', notADocument(), 'notes.pdf');
  worker = await startOcrWorker({ config, storage, log: createLogger({ level: 'silent' }), robotId: 'ocr-test' });
}, 120_000);

afterAll(async () => {
  await worker?.close(5_000);
  await queues.close();
  redis.disconnect();
  await dropStorage(storage);
});

describe('ocr.document', () => {
  it('refuses a lookup without a documentId at submit, naming the field', async () => {
    await expect(submit([{ type: 'ocr.document', input: {} }])).rejects.toThrow(SubmitRejectedError);
    await expect(submit([{ type: 'ocr.document', input: { documentId: '  ' } }])).rejects.toThrow(/documentId/);
  });

  it('is not a robot pool job: only the OCR role serves it', () => {
    expect(ROBOT_JOB_NAMES).not.toContain('ocr.document');
    expect(ROBOT_JOB_NAMES.length).toBeGreaterThan(0);
  });

  it('reads a text-layer and a scanned PDF, fails bad files with their code at once, and the batch goes on', { timeout: 240_000 }, async () => {
    const ids = ['doc-text', 'doc-scan', 'doc-broken', 'doc-encrypted', 'doc-notes', 'doc-unknown'];
    const { lookups } = await submit(ids.map((documentId) => ({ type: 'ocr.document' as const, input: { documentId }, clientKey: `ocr:${documentId}` })));
    const done = await waitForFinal(storage.lookups, lookups.map((l) => l.id), 200_000);
    const byDoc = Object.fromEntries(ids.map((id, i) => [id, done[i]!]));

    // Text layer: no OCR, every field exactly what the generator put in.
    expect(byDoc['doc-text']).toMatchObject({ status: 'succeeded', result: { collection: 'documents', id: 'doc-text' } });
    const text = (await storage.documents.get('doc-text'))!;
    expect(text).toMatchObject({ status: 'done', kind: 'ip_opened', ocr: false, confidence: 1, error: null });
    expect(text.fields).toEqual(expectedFields(textSpec));
    expect(text.text).toContain('о возбуждении исполнительного производства');

    // Scanned (rotated, noisy JPEG pages): OCR; numbers, dates and amounts exact.
    expect(byDoc['doc-scan']!.status).toBe('succeeded');
    const scan = (await storage.documents.get('doc-scan'))!;
    expect(scan).toMatchObject({ status: 'done', kind: 'ip_ended', ocr: true });
    expect(scan.confidence).toBeGreaterThan(0.7);
    const want = expectedFields(scanSpec);
    expect(scan.fields).toMatchObject({ ipNumber: want.ipNumber, ipDate: want.ipDate, amount: want.amount, decisionDate: want.decisionDate, endGround: want.endGround });
    expect(worker.engineStats()?.pages).toBeGreaterThanOrEqual(1);

    // Bad files: failed on the first attempt with a permanent code, the document says why.
    for (const [id, code] of [['doc-broken', 'pdf_broken'], ['doc-encrypted', 'pdf_encrypted'], ['doc-notes', 'not_a_document']] as const) {
      expect(byDoc[id], id).toMatchObject({ status: 'failed', attempts: 1, error: { code, kind: 'permanent' } });
      const doc = (await storage.documents.get(id))!;
      expect(doc.status, id).toBe('failed');
      expect(doc.error?.code, id).toBe(code);
      expect(doc.fields, id).toBeNull();
    }
    expect(byDoc['doc-unknown']).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'bad_input' } });
    expect(byDoc['doc-unknown']!.error!.message).toContain('doc-unknown');
  });

  it('is idempotent: a done document is not read again, and the inbox cannot move it back to queued', async () => {
    const before = (await storage.documents.get('doc-scan'))!;
    expect(before.status).toBe('done');
    const pagesBefore = worker.engineStats()!.pages;
    const out = await runOcrDocument(
      { documents: storage.documents, evidence: storage.evidence, engine: () => Promise.reject(new Error('must not start an engine')) },
      { lookupId: 'retry', input: { documentId: 'doc-scan' }, attempt: 2, log: createLogger({ level: 'silent' }) },
    );
    expect(out).toEqual({ status: 'succeeded', result: { collection: 'documents', id: 'doc-scan' }, evidenceCount: 0 });
    await storage.documents.setStatus('doc-scan', 'ocr_queued');
    const after = (await storage.documents.get('doc-scan'))!;
    expect(after.status).toBe('done');
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(worker.engineStats()!.pages).toBe(pagesBefore);
    // The same client key again: the existing lookup, no second job.
    const again = await submit([{ type: 'ocr.document', input: { documentId: 'doc-scan' }, clientKey: 'ocr:doc-scan' }]);
    expect(again.lookups[0]!.existed).toBe(true);
  });

  it('an engine failure is retried with the document untouched, and fails the document on the last attempt', async () => {
    await storeDocument('doc-engine', await renderFsspDocument(scanSpec, { scanned: true, seed: 5 }), 'engine.pdf');
    await storage.documents.setStatus('doc-engine', 'ocr_queued');
    const services = { documents: storage.documents, evidence: storage.evidence, engine: () => Promise.reject(new Error('tesseract worker crashed')), maxAttempts: 2 };
    const ctx = (attempt: number) => ({ lookupId: `engine-${attempt}`, input: { documentId: 'doc-engine' }, attempt, log: createLogger({ level: 'silent' }) });
    await expect(runOcrDocument(services, ctx(1))).rejects.toThrow('tesseract worker crashed');
    expect((await storage.documents.get('doc-engine'))!.status).toBe('ocr_queued');
    await expect(runOcrDocument(services, ctx(2))).rejects.toThrow('tesseract worker crashed');
    const doc = (await storage.documents.get('doc-engine'))!;
    expect(doc.status).toBe('failed');
    expect(doc.error?.message).toContain('tesseract worker crashed');
  });

  it('stops on close: no more jobs taken, the tesseract workers terminated', { timeout: 60_000 }, async () => {
    await worker.close(5_000);
    expect(worker.worker.isRunning()).toBe(false);
    const { lookups } = await submit([{ type: 'ocr.document', input: { documentId: 'doc-text' }, clientKey: 'after-close' }]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await storage.lookups.get(lookups[0]!.id))!.status).toBe('queued');
  });
});
