/**
 * `evidence verify` on pictures: a picture must name an earlier HTTP capture of its chain (by seq in
 * its step, covered by the link hash) and that capture's body (meta.derivedFrom).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence, verifyJob } from '../../storage/evidence/verify.ts';
import type { Storage } from '../../storage/index.ts';
import { sha256Hex } from '../../storage/evidence.store.ts';
import { dropStorage, openTestStorage } from '../helpers/services.ts';

let storage: Storage;
beforeAll(async () => {
  storage = await openTestStorage();
});
afterAll(async () => dropStorage(storage));

async function chainWith(picture: { step: string; derivedFrom: string | ((captureSha: string) => string) }): Promise<string> {
  const jobId = randomUUID();
  const base = { jobId, lookupId: jobId, robot: 'r', url: 'https://a.sudrf.ru/card', at: new Date() };
  const capture = await storage.evidence.append({ ...base, step: 'case-card', kind: 'http_response', contentType: 'text/html' }, Buffer.from(`<html>${jobId}</html>`));
  await storage.evidence.append({ ...base, step: 'case-card-srv2', kind: 'screenshot', contentType: 'image/png' }, Buffer.from(`png ${jobId}`));
  const derivedFrom = typeof picture.derivedFrom === 'function' ? picture.derivedFrom(capture.sha256) : picture.derivedFrom;
  await storage.evidence.append({ ...base, step: picture.step, kind: 'picture', contentType: 'image/jpeg', meta: { derivedFrom } }, Buffer.from(`jpeg ${jobId}`));
  await storage.evidence.seal(jobId);
  return jobId;
}

describe('verify: where a picture came from', () => {
  it('passes a picture that names its capture and that capture’s body', async () => {
    const v = await verifyJob(storage.evidence, await chainWith({ step: 'picture-of-1', derivedFrom: (sha) => sha }));
    expect(v.findings).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('flags a picture whose meta names another body', async () => {
    const v = await verifyJob(storage.evidence, await chainWith({ step: 'picture-of-1', derivedFrom: sha256Hex('another page') }));
    expect(v.ok).toBe(false);
    expect(v.findings.map((f) => [f.kind, f.seq])).toEqual([['picture_source', 3]]);
  });

  it('flags a picture that names an item which is not an HTTP capture, or none', async () => {
    for (const step of ['picture-of-2', 'picture-of-9', 'picture']) {
      const v = await verifyJob(storage.evidence, await chainWith({ step, derivedFrom: (sha) => sha }));
      expect(v.findings.map((f) => f.kind), step).toEqual(['picture_source']);
    }
  });

  it('checks the same in a whole-farm verify, which streams items without their meta', async () => {
    const good = await chainWith({ step: 'picture-of-1', derivedFrom: (sha) => sha });
    const bad = await chainWith({ step: 'picture-of-1', derivedFrom: sha256Hex('yet another page') });
    const report = await verifyEvidence(storage.evidence, {});
    const flagged = new Set(report.findings.filter((f) => f.kind === 'picture_source').map((f) => f.jobId));
    expect(flagged.has(bad)).toBe(true);
    expect(flagged.has(good)).toBe(false);
  });
});
