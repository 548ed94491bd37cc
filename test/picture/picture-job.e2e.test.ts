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
import * as cheerio from 'cheerio';
import Fastify from 'fastify';
import sharp from 'sharp';
import { auditorPlugin } from '../../api/auditor/auditor.plugin.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pictureQueue, picturesPending } from '../../queues/picture.queue.ts';
import { exportEvidenceBundle } from '../../storage/evidence/export.ts';
import { verifyJob } from '../../storage/evidence/verify.ts';
import type { PictureMeta } from '../../robots/capture-picture/index.ts';
import { startTestFarm, type TestFarm } from '../helpers/farm.ts';

let farm: TestFarm;
/** The lookup of the first test and the case number it asked for. */
let looked: { id: string; caseNumber: string } | null = null;

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
    looked = { id: doc!._id, caseNumber: c.caseNumber };
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
    const doc = { _id: looked!.id };
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

  it("the auditor's timeline shows each picture with its fields boxed, the parsed value beside each, rules and unlocated fields said", async () => {
    const app = Fastify();
    await app.register(auditorPlugin({ storage: farm.storage }));
    await app.ready();
    try {
      const token = (await farm.storage.apiKeys.create({ name: 'auditor', scopes: ['audit'] })).token;
      const res = await app.inject({ method: 'GET', url: `/audit/jobs/${looked!.id}`, headers: { 'x-api-key': token } });
      expect(res.statusCode).toBe(200);
      const $ = cheerio.load(res.body);
      const items = await farm.storage.evidence.listByJob(looked!.id);
      const pictures = items.filter((i) => i.kind === 'picture');
      expect($('section.step > div[data-kind="picture"]').length).toBe(pictures.length);
      expect($('#chain-status').attr('data-ok')).toBe('true');
      // Each HTTP capture links to its picture.
      expect($('section.step > div[data-kind="http_response"]').text()).toContain('drawn offline as picture');
      const card = pictures.find((p) => (p.meta as unknown as PictureMeta).parser === 'sudrf-case-card')!;
      const section = $(`#seq-${card.seq}`).closest('section');
      const fields = (card.meta as unknown as PictureMeta).fields;
      expect(section.find('.pic .box').length).toBe(fields.filter((f) => f.box).length);
      const row = (field: string) => section.find(`tr.field[data-field="${field}"]`);
      expect(row('caseNumber').attr('data-located')).toBe('box');
      expect(row('caseNumber').find('td').eq(1).text()).toBe(looked!.caseNumber);
      expect(row('status').text()).toContain('by rule');
      // The page <title> is read but not drawn: the court name says it was not located.
      expect(row('court.name').text()).toContain('not located');
      // The picture itself is served as an image to the auditor.
      const src = section.find('img.picture').attr('src')!;
      const img = await app.inject({ method: 'GET', url: src, headers: { 'x-api-key': token } });
      expect(img.headers['content-type']).toBe('image/jpeg');
    } finally {
      await app.close();
    }
  });
});
