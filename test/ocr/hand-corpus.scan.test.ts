/**
 * Scans of the hand-written corpus (rotated, noisy JPEG pages without a text layer) read by OCR
 * (tesseract.js, rus+eng): three documents of different styles — a centred header, capitals over
 * two pages with a signature stamp, a two-column header with a stamp. Identifiers, dates and sums
 * must be exact; names and addresses may lose a letter to OCR, so at least 90 % of all fields of
 * each document must be exact (the bench measures the whole corpus). Heavy: run under
 * `flock /tmp/konveyer-heavy.lock`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createOcrEngine, parseDocumentFile, type OcrEngine } from '../../ocr/index.ts';
import { scoreFields } from './field-score.ts';
import { loadHandCorpus, renderCorpusPdf, renderCorpusScan, scanOptionsOf } from './hand-corpus.render.ts';

const corpus = loadHandCorpus().filter((d) => d.format === 'text');
const picked = ['01-opened-centred', '07-opened-caps-two-pages-stamp', '12-ended-legal-debtor-two-column-stamp'];
let engine: OcrEngine | null = null;
const getEngine = async () => (engine ??= await createOcrEngine({ workers: 2 }));
afterAll(async () => { await engine?.close(); });

const EXACT = ['kind', 'fields.ipNumber', 'fields.ipDate', 'fields.decisionDate', 'fields.amount', 'fields.endGround', 'fields.department.code', 'fields.debtor.birthDate', 'fields.executiveDocument.number', 'fields.executiveDocument.date'];

describe('scans of hand-written FSSP documents', () => {
  for (const name of picked) {
    it(`${name}: read by OCR, identifiers exact, ≥ 90 % of fields exact`, async () => {
      const index = corpus.findIndex((d) => d.name === name);
      const doc = corpus[index]!;
      const scan = await renderCorpusScan(await renderCorpusPdf(doc.bytes.toString('utf8')), scanOptionsOf(index));
      const got = await parseDocumentFile(scan, { engine: getEngine });
      expect(got).toMatchObject({ ocr: true, source: 'ocr' });
      const verdicts = scoreFields(doc.expected, got);
      expect(verdicts.filter((v) => EXACT.includes(v.path) && !v.ok)).toEqual([]);
      expect(verdicts.filter((v) => v.ok).length / verdicts.length).toBeGreaterThanOrEqual(0.9);
    }, 300_000);
  }
});
