/**
 * Pictures end to end (issue 19): an HTTP-mode sudrf lookup against the sandbox, the robot pool
 * queues `capture.picture` when the attempt ends, draws each capture offline and appends it to the
 * same chain — hashed, sealed again, pointing at the body it was drawn from — and the bundle
 * export and verification cover it.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pictureQueue, picturesPending } from '../../queues/picture.queue.ts';
import { exportEvidenceBundle } from '../../storage/evidence/export.ts';
import { verifyJob } from '../../storage/evidence/verify.ts';
import type { PictureMeta } from '../../robots/capture-picture/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;

beforeAll(async () => {
  farm = await startTestFarm({ name: 'pictures', env: { EVIDENCE_PICTURES: 'true', COURT_SUDRF_MODE: 'http' } });
}, 120_000);

afterAll(async () => farm?.close());

async function picturesDrawn(timeoutMs = 90_000): Promise<void> {
  const queue = pictureQueue(farm.redis, farm.config.queue.prefix);
  try {
    const until = Date.now() + timeoutMs;
    // The job is queued when the attempt ends, just before the lookup is final: wait for it to run.
    while ((await picturesPending(queue)) > 0 || (await queue.getJobCounts('completed', 'failed')).completed === 0) {
      if (Date.now() > until) throw new Error('pictures not drawn in time');
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await queue.close();
  }
}

describe('capture.picture after an HTTP lookup', () => {
  it('appends a picture per HTTP capture, chained and sealed, with the case fields outlined', async () => {
    const c = farm.sandbox.world.cases.find((k) => farm.sandbox.world.courts.find((court) => court.host === k.host)?.hasSearchCaptcha === false)!;
    const [doc] = await farm.submitAndWait([{ type: 'court.case', input: { court: c.host, number: c.caseNumber } }]);
    expect(doc!.status).toBe('succeeded');
    await picturesDrawn();
    const items = await farm.storage.evidence.listByJob(doc!._id);
    const captures = items.filter((i) => i.kind === 'http_response');
    const pictures = items.filter((i) => i.kind === 'picture');
    expect(captures.length).toBeGreaterThan(0);
    expect(pictures.length).toBe(captures.length);
    for (const p of pictures) {
      const meta = p.meta as unknown as PictureMeta;
      const source = items.find((i) => i.seq === meta.derivedFromSeq)!;
      // The step (covered by the link hash) names the capture; the meta names its body.
      expect(p.step).toBe(`picture-of-${source.seq}`);
      expect(meta.derivedFrom).toBe(source.sha256);
      expect(p.seq).toBeGreaterThan(source.seq);
      expect(p.contentType).toBe('image/jpeg');
      expect(meta.renderer).toMatchObject({ name: 'konveyer-offline-renderer', javaScript: false, network: 'none' });
      expect(meta.renderer.chromium).toMatch(/^\d+\./);
      const body = await farm.storage.evidence.readBody(p.sha256);
      expect((await sharp(body!).metadata()).height).toBe(meta.height);
    }
    // The card's picture: the case number outlined, with the number the lookup asked for beside it.
    const card = pictures.map((p) => p.meta as unknown as PictureMeta).find((m) => m.parser === 'sudrf-case-card')!;
    expect(card).toBeDefined();
    const number = card.fields.find((f) => f.field === 'caseNumber')!;
    expect(number.value).toBe(c.caseNumber);
    expect(number.box!.width).toBeGreaterThan(0);
    expect(card.fields.find((f) => f.field === 'status')?.rule).toMatch(/deriveCaseStatus/);
    // Sealed again after the pictures: the manifest lists every item, and the chain verifies.
    const manifest = await farm.storage.evidence.getManifest(doc!._id);
    expect(manifest!.itemCount).toBe(items.length);
    expect(manifest!.headHash).toBe(items.at(-1)!.hash);
    const v = await verifyJob(farm.storage.evidence, doc!._id);
    expect(v.ok).toBe(true);
  });

  it('the evidence bundle carries the pictures as JPEG files named in its manifest', async () => {
    const [doc] = (await farm.storage.lookups.list({ status: 'succeeded' }, 1));
    const tmp = mkdtempSync(join(tmpdir(), 'konveyer-pictures-'));
    try {
      const zip = join(tmp, 'bundle.zip');
      await exportEvidenceBundle(farm.storage, { kind: 'job', id: doc!._id }, createWriteStream(zip));
      execFileSync('unzip', ['-q', zip, '-d', join(tmp, 'bundle')]);
      const manifest = JSON.parse(readFileSync(join(tmp, 'bundle', 'manifest.json'), 'utf8')) as { jobs: Array<{ items: Array<{ kind: string; file: string; derivedFrom?: string }> }> };
      const pics = manifest.jobs[0]!.items.filter((i) => i.kind === 'picture');
      expect(pics.length).toBeGreaterThan(0);
      for (const p of pics) {
        expect(p.file).toMatch(/-picture-of-\d+-picture\.jpg$/);
        expect(p.derivedFrom).toMatch(/^[0-9a-f]{64}$/);
      }
      // Every file, the pictures too, matches its recorded SHA-256.
      expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: join(tmp, 'bundle') }).toString()).not.toMatch(/FAILED/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
